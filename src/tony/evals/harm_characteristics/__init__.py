"""Rauh et al. 2022, Characteristics of Harmful Text: Towards Rigorous Benchmarking of Language Models."""
