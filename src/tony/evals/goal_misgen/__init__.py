"""Goal misgeneralization in reinforcement learning (Shah et al. 2022, arXiv:2210.01790).

A small reproduction of the paper's CoinRun and Maze findings: agents trained with the
correct reward, on levels where the goal always sits at the same place (the proxy), stay
capable under a distribution shift but go to the proxy instead of the goal; a small share
of training levels with randomised goals (``p_random_goal``) reduces this.

* ``envs``       - numpy grid worlds (``coinrun``, ``maze``) with a gymnasium interface;
* ``agent``      - a PPO agent in numpy with hand-written gradients;
* ``experiment`` - the p sweep, outcome classification, intervals over seeds and figures.
"""
