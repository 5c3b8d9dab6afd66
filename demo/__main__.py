"""python -m demo OUT_DIR [--small] [--force]: write the demo municipality's extracts, unless
OUT_DIR already holds the ones generated from the same configuration (--force regenerates)."""

import argparse
import time
from pathlib import Path

from demo.generate import generate, is_current
from demo.model import DemoConfig

parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
parser.add_argument("out_dir", type=Path)
parser.add_argument("--small", action="store_true", help="the small municipality the tests use")
parser.add_argument("--force", action="store_true", help="regenerate even if OUT_DIR is current")
args = parser.parse_args()
config = DemoConfig.small() if args.small else DemoConfig()
scale = "small" if args.small else "Randers scale"
if not args.force and is_current(config, args.out_dir):
    print(f"demo municipality ({scale}) already generated in {args.out_dir}", flush=True)
else:
    print(f"generating the demo municipality ({scale}) in {args.out_dir} ...", flush=True)
    started = time.perf_counter()
    generate(config, args.out_dir)
    print(f"demo municipality written in {time.perf_counter() - started:.1f} s", flush=True)
