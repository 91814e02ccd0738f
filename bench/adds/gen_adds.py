#!/usr/bin/env python3
"""The piped adds of BENCHMARKS.md ("Writes and history"): N lines
`add eS pP eO when YEAR quote "bench add I"` between the entities e0000000.. and the
predicates p000.. of a `factstore-gen` store, drawn with random.Random(SEED).

    gen_adds.py ENTITIES PREDICATES N [SEED] > adds.txt     # the benchmark: 100000 50 10000 7
"""
import random
import sys


def main():
    entities, predicates, n = (int(a) for a in sys.argv[1:4])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    r = random.Random(seed)
    for i in range(n):
        s = r.randrange(entities)
        o = r.randrange(entities)
        while o == s:
            o = r.randrange(entities)
        p = r.randrange(predicates)
        year = r.randrange(1990, 2026)
        print(f'add e{s:07d} p{p:03d} e{o:07d} when {year} quote "bench add {i}"')


if __name__ == "__main__":
    main()
