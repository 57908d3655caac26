"""Section builders that more than one product uses (the tasking pack, the ASB report).

Each helper takes the store or the numbers it needs and explicit parameters (seed,
permutations, titles): no product's context object, so every product can call it.
"""
