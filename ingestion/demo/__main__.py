"""python -m ingestion.demo OUT_DIR [--small]: write the demo municipality's extracts."""

import argparse
from pathlib import Path

from ingestion.demo.generate import generate
from ingestion.demo.model import DemoConfig

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("out_dir", type=Path)
parser.add_argument("--small", action="store_true", help="the small municipality the tests use")
args = parser.parse_args()
print(generate(DemoConfig.small() if args.small else DemoConfig(), args.out_dir))
