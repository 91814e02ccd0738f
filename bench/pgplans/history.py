#!/usr/bin/env python3
"""Prints 2,000 seeded `correct` / `retract` statements over relations #1..#100000, so that
a store imported from the 100k bench data gets a history (relation_version rows) for the
`as recorded` plans. Usage: history.py | factstore --db STORE repl"""
import random

random.seed(7)
for i in range(2000):
    key = random.randint(1, 100000)
    if i % 3 == 0:
        print(f'retract #{key} because "history {i}"')
    else:
        month = f"{random.randint(1990, 2025)}-{random.randint(1, 12):02d}"
        print(f'correct #{key} when {month} because "history {i}"')
