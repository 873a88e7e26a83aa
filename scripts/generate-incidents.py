#!/usr/bin/env python3
"""Writes a CSV of ASB incident reports in Concord's import format (README.md, "Importing incidents").

usage: generate-incidents.py ROWS [FILE]   (default: standard output)

Rows cover the Kent demo partnership's districts and agencies: about ten reports per case, and one incident in
five reported to a second agency (the same incident_key), so imports exercise grouping and one-incident-many-reports.
"""
import csv
import datetime
import random
import sys

COLUMNS = ["case_key", "case_title", "district", "occurred_on", "occurred_at", "address", "postcode", "ward", "category",
           "hate_motivated", "description", "channel", "incident_key", "reported_on", "reporting_agency", "reference",
           "complainant_name", "complainant_postcode", "perpetrator_name"]
DISTRICTS = ["Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham", "Maidstone", "Sevenoaks",
             "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells"]
AGENCIES = ["Kent Police", "Maidstone Borough Council", "Kent County Council", "Kent Fire and Rescue Service"]
CATEGORIES = ["personal", "nuisance", "environmental"]
CHANNELS = ["phone", "online", "email", "in-person", "letter", "patrol", "partner-referral"]


def main():
    rows = int(sys.argv[1])
    out = open(sys.argv[2], "w", newline="") if len(sys.argv) > 2 else sys.stdout
    random.seed(2014)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    today = datetime.date.today()
    line = 0
    case = 0
    while line < rows:
        case += 1
        district = random.choice(DISTRICTS)
        street = f"{random.randint(1, 200)} {random.choice(['Hill', 'High', 'Station', 'Church', 'Mill'])} Street"
        postcode = f"ME{random.randint(1, 20)} {random.randint(1, 9)}{random.choice('ABDEFGHJLNPQRSTUWXYZ')}{random.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        complainant = f"Resident {case}"
        for incident in range(10):
            if line >= rows:
                break
            occurred = today - datetime.timedelta(days=random.randint(1, 700))
            agencies = [random.choice(AGENCIES)]
            if random.random() < 0.2:
                agencies.append(random.choice([a for a in AGENCIES if a != agencies[0]]))
            for agency in agencies:
                if line >= rows:
                    break
                reported = min(today, occurred + datetime.timedelta(days=random.randint(0, 3)))
                writer.writerow([f"case-{case}", f"ASB at {street}", district, occurred.isoformat(),
                                 f"{random.randint(0, 23):02d}:{random.randint(0, 59):02d}", street, postcode, "High Street",
                                 random.choice(CATEGORIES), "false", "Noise and shouting late at night", random.choice(CHANNELS),
                                 f"i{incident}", reported.isoformat(), agency, f"REF-{line}", complainant, postcode,
                                 "" if random.random() < 0.5 else f"Occupant {case}"])
                line += 1


main()
