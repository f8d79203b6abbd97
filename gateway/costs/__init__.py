"""The cost-of-a-centre estimator (``/costs/``): the method, its figures and its page."""
