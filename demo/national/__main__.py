"""python -m demo.national OUT_DIR [--residents N]: write the national demo."""

import argparse
from pathlib import Path

from demo.national.config import NationalConfig
from demo.national.generate import generate

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("out_dir", type=Path)
parser.add_argument("--residents", type=int, default=NationalConfig.residents)
parser.add_argument("--tiny", action="store_true", help="a few thousand residents, three years (tests)")
args = parser.parse_args()
config = NationalConfig.tiny() if args.tiny else NationalConfig(residents=args.residents)
print(generate(config, args.out_dir, progress=lambda m: print(m, flush=True)))
