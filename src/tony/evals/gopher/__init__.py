"""Rae et al. 2021, Scaling Language Models: Methods, Analysis & Insights from Training Gopher: §5.1 toxicity, §5.2 distributional bias."""
