"""Synthetic data sets in the import format, for `graph-api generate`; the service never loads it.

Used by the CLI (lazily), the tests and the benchmarks.

`write_dataset(path, parties, seed)` writes a JSON document (PATH ending in .json) or a
folder of CSV files; the same seed gives byte-identical output. Rows go straight to the
output (CSV) or to one spool file per section (JSON), so memory stays bounded by one
customer cluster, whatever the number of parties.

What is generated (ratios measured on 100k parties are in docs/MODEL.md), by step:
- `sales_force`: our catalogue (`catalogue`: the demo's 14 products and 5 rules, extended)
  and our sales force: a head of sales, a manager per region, account executives, inside
  sales and solution engineers;
- `accounts.account`, customer accounts, in these steps: `units` (single companies, groups
  with head office, branches, subsidiaries and departments, research institutes),
  `org_chart` (people and reporting: one tree, titles and departments by level),
  `holdings` (corporate holdings that follow the group), `markers` (the buying centre),
  `influence` (informal influence, outside advisers from the institutes, acquaintances),
  `people` (households of the contacts), `coverage` (account teams and coverage),
  `opportunities` (with their buying centres; events), `interactions`;
- `retail`: retail households: spouses, children, parents, siblings, employers among the
  customer organizations, holdings whose co-occurrence follows age, affluence, household
  and employer (an accident policy leads to a life policy, a mortgage to life cover, a
  payroll employer to a credit card), beneficiaries, interactions, a few private-banking
  deals;
- `dataset`: the whole run, and its output.

Every step draws from one random stream (`generator.Generator`), so the order of the steps
and of the draws inside them is part of the output: a change there changes the bytes.

Ids are sequential (`p-0000001`, `o-000001`, ...), so a link to any earlier party needs no
memory: every number below the counter exists.
"""

from graph_api.generate.accounts import account
from graph_api.generate.catalogue import AFFINITY_RULES, PRODUCTS
from graph_api.generate.dataset import Generated, document, generate_rows, start, write_dataset
from graph_api.generate.generator import Generator
from graph_api.generate.shapes import Account, AccountShape
from graph_api.generate.vocabulary import AS_OF

__all__ = [
    "AFFINITY_RULES",
    "AS_OF",
    "PRODUCTS",
    "Account",
    "AccountShape",
    "Generated",
    "Generator",
    "account",
    "document",
    "generate_rows",
    "start",
    "write_dataset",
]
