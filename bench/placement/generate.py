"""Seeded synthetic placement instances, following ../shared/engine-notes.md §3.

    python bench/placement/generate.py 2000 --seed 1 -o /tmp/p2k.json

60 countries; nationalities Zipf(0.8), hosts Zipf(0.6); camps round(1.1 N / 14)
with capacity U{8..20}; 80 % English-only camps, the rest in the host's
language; 3 % teen camps, 7 % capped at age 30; starts over 22 weeks, 2-3 weeks
long.  Volunteers 58 % F / 40 % M / 2 % X, ages 16-70, English 95 % + native
+ an extra language with p 0.25, availability 3-12 weeks; each ranks 5-10
eligible camps sampled by popularity (log-normal) x affinity (own country
x0.08).  Agreements between pairs with demand both ways (p 0.3 among the top
25 senders, 0.1 otherwise; the notes used 0.6 / 0.25 but with fewer pairs having demand), tolerance 2 + floor(0.1 mean demand); 10 % get a
maximum per direction.  Gender tolerance 2, max 2 per nationality.

Shape options (defaults are the bench's own instances; `UNSEEN` lists the
shapes of the "unseen data" benchmark, issue 17): --popularity-sigma (camp
popularity skew, log-normal sigma, default 0.4), --agreement-share (factor on
the agreement probabilities, default 1.0), --choices MIN MAX (choices per
volunteer, default 5 10).
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

COUNTRIES = [
    "FR",
    "DE",
    "IT",
    "ES",
    "GB",
    "PL",
    "CZ",
    "BE",
    "NL",
    "PT",
    "TR",
    "RU",
    "UA",
    "JP",
    "KR",
    "CN",
    "MX",
    "BR",
    "US",
    "CA",
    "SN",
    "MA",
    "TN",
    "DZ",
    "CI",
    "CM",
    "KE",
    "GH",
    "NG",
    "ZA",
    "IN",
    "ID",
    "TH",
    "VN",
    "PH",
    "NP",
    "BD",
    "PK",
    "EG",
    "IR",
    "GR",
    "HU",
    "RO",
    "BG",
    "RS",
    "HR",
    "SI",
    "SK",
    "AT",
    "CH",
    "DK",
    "SE",
    "FI",
    "NO",
    "IE",
    "EE",
    "LV",
    "LT",
    "AR",
    "CO",
]


#: The "unseen" shapes (issue 17): each seed of `bench.py unseen` draws with its own
#: popularity skew, agreement share and choice counts, none of them the bench's own.
UNSEEN: dict[int, dict] = {
    101: {"popularity_sigma": 0.8, "agreement_share": 1.0, "choices": (5, 10)},
    102: {"popularity_sigma": 0.4, "agreement_share": 2.5, "choices": (5, 10)},
    103: {"popularity_sigma": 0.6, "agreement_share": 1.5, "choices": (3, 6)},
    104: {"popularity_sigma": 1.0, "agreement_share": 0.5, "choices": (4, 8)},
    105: {"popularity_sigma": 0.7, "agreement_share": 2.0, "choices": (2, 5)},
    # Harder: flatter popularity (demand spread, more placeable, side rules bind more).
    106: {"popularity_sigma": 0.2, "agreement_share": 2.0, "choices": (6, 12)},
    107: {"popularity_sigma": 0.3, "agreement_share": 3.0, "choices": (5, 10)},
    108: {"popularity_sigma": 0.25, "agreement_share": 1.0, "choices": (8, 15)},
}


def generate(
    n: int,
    seed: int = 1,
    popularity_sigma: float = 0.4,
    agreement_share: float = 1.0,
    choices: tuple[int, int] = (5, 10),
) -> dict:
    rng = np.random.default_rng(seed)
    n_c = len(COUNTRIES)
    ranks = np.arange(1, n_c + 1)
    p_nat = ranks**-0.8 / (ranks**-0.8).sum()
    p_host = ranks**-0.6 / (ranks**-0.6).sum()

    n_m = round(1.1 * n / 14)
    host = rng.choice(n_c, n_m, p=p_host)
    cap = rng.integers(8, 21, n_m)
    english = rng.random(n_m) < 0.8
    teen = rng.random(n_m) < 0.03
    young = ~teen & (rng.random(n_m) < 0.07)
    start = rng.integers(0, 22, n_m)
    dur = rng.integers(2, 4, n_m)
    pop = rng.lognormal(0.0, popularity_sigma, n_m)
    from16 = rng.random(n_m) < 0.3  # adult camps open to 16-17 year olds

    nat = rng.choice(n_c, n, p=p_nat)
    gender = rng.choice(np.array(["F", "M", "X"]), n, p=[0.58, 0.40, 0.02])
    age = np.clip(16 + rng.gamma(2.0, 5.0, n), 16, 70).astype(int)
    speaks_en = rng.random(n) < 0.95
    extra = np.where(rng.random(n) < 0.25, rng.integers(0, n_c, n), -1)
    av_from = rng.integers(0, 20, n)
    av_to = av_from + rng.integers(3, 13, n)

    # Weighted sampling without replacement among *eligible* camps (Gumbel top-k
    # on log popularity x affinity), by chunks of volunteers to bound memory.
    lo_choices, hi_choices = choices
    vol_choices: list[list[int]] = [[] for _ in range(n)]
    logpop = np.log(pop)
    want = rng.integers(lo_choices, hi_choices + 1, n)
    chunk = 1000
    for lo in range(0, n, chunk):
        vi = np.arange(lo, min(n, lo + chunk))[:, None]
        lang_ok = np.where(
            english[None, :],
            speaks_en[vi],
            (host[None, :] == nat[vi]) | (host[None, :] == extra[vi]),
        )
        age_ok = np.where(
            teen[None, :],
            age[vi] <= 18,
            np.where(young[None, :], age[vi] <= 30, from16[None, :] | (age[vi] >= 18)),
        )
        date_ok = (start[None, :] >= av_from[vi]) & (start[None, :] + dur[None, :] <= av_to[vi])
        key = logpop[None, :] + np.where(host[None, :] == nat[vi], np.log(0.08), 0.0)
        key = key + rng.gumbel(size=key.shape)
        key[~(lang_ok & age_ok & date_ok)] = -np.inf
        top = np.argsort(-key, axis=1)[:, :hi_choices]
        for row, v in enumerate(vi[:, 0].tolist()):
            ms = top[row, : want[v]]
            vol_choices[v] = ms[np.isfinite(key[row, ms])].tolist()

    # Agreements between country pairs with demand both ways.
    demand = np.zeros((n_c, n_c))
    for v in range(n):
        if vol_choices[v]:
            demand[nat[v], host[vol_choices[v][0]]] += 1
    any_demand = np.zeros((n_c, n_c), bool)
    for v in range(n):
        any_demand[nat[v], host[vol_choices[v]]] = True
    agreements = []
    for a in range(n_c):
        for b in range(a + 1, n_c):
            if not (any_demand[a, b] and any_demand[b, a]):
                continue
            if rng.random() >= agreement_share * (0.3 if a < 25 and b < 25 else 0.1):
                continue
            mean = (demand[a, b] + demand[b, a]) / 2
            ag = {"countries": [COUNTRIES[a], COUNTRIES[b]], "tolerance": 2 + int(0.1 * mean)}
            if rng.random() < 0.1:
                ag["max"] = [int(demand[a, b] + 5), int(demand[b, a] + 5)]
            agreements.append(ag)

    return {
        "missions": [
            {
                "id": f"m{i}",
                "capacity": int(cap[i]),
                "host_country": COUNTRIES[host[i]],
                "max_per_nationality": 2,
                "gender_tolerance": 2,
            }
            for i in range(n_m)
        ],
        "volunteers": [
            {
                "id": f"v{v}",
                "nationality": COUNTRIES[nat[v]],
                "gender": str(gender[v]),
                "choices": [f"m{m}" for m in vol_choices[v]],
            }
            for v in range(n)
        ],
        "agreements": agreements,
        "unplaced_penalty": 100,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--popularity-sigma", type=float, default=0.4)
    parser.add_argument("--agreement-share", type=float, default=1.0)
    parser.add_argument("--choices", type=int, nargs=2, default=(5, 10), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--unseen", action="store_true", help="use the seed's shape from UNSEEN (seeds 101-105)"
    )
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    if args.unseen:
        data = generate(args.n, args.seed, **UNSEEN[args.seed])
    else:
        data = generate(
            args.n,
            args.seed,
            popularity_sigma=args.popularity_sigma,
            agreement_share=args.agreement_share,
            choices=tuple(args.choices),
        )
    if args.output == "-":
        json.dump(data, sys.stdout)
    else:
        with open(args.output, "w") as fh:
            json.dump(data, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
