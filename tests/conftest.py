import sys
from pathlib import Path

# tests/ holds shared helpers (contract_examples) next to the test modules
sys.path.insert(0, str(Path(__file__).parent))
