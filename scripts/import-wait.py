#!/usr/bin/env python3
"""What the largest import costs other users, on a running server (scripts/import-wait.sh starts
the release build on the demo data and runs this).

A manager uploads a 200 000-row contacts file (the most the import page takes), first as a dry
run (Controlla), then for real (Importa tutto). Meanwhile a member saves a sale every 250 ms and
opens his home page: each answer's status and time is recorded. The same saves run first with
nothing else going on: the baseline of the same run. Prints, per phase, the saves' median and
maximum time, the home page's, and every answer that was not 2xx.

    BASE=http://127.0.0.1:PORT CONTACT=ID PRODUCT=ID SELLER=ID python3 scripts/import-wait.py
"""

import http.cookiejar
import os
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["BASE"]
ROWS = int(os.environ.get("IMPORT_ROWS", "200000"))
SALE = {
    "contact": os.environ["CONTACT"], "product": os.environ["PRODUCT"], "seller": os.environ["SELLER"],
    "quantity": "2", "unit_price": "120", "discount": "0", "vat_rate": "22", "stage": "negotiation",
    "probability": "", "sale_date": "", "expected_close": "", "lost_reason": "", "notes": "import-wait",
}


def session(login):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"login": login, "password": "vendita-demo"}).encode()
    opener.open(urllib.request.Request(f"{BASE}/api/login", data=form, headers={"Origin": BASE})).read()
    return opener


def timed(opener, request, show_refusal=False):
    started = time.monotonic()
    try:
        with opener.open(request, timeout=120) as res:
            res.read()
            status = res.status
    except urllib.error.HTTPError as err:
        status = err.code
        if show_refusal:
            print(f"refused: {err.code} {err.read()[:300]!r}")
    except Exception as err:  # a refused or dropped connection counts as a failure
        status = f"error {err}"
    return status, (time.monotonic() - started) * 1000


def contacts_csv(rows):
    lines = ["Ragione sociale;E-mail;Città;Provincia"]
    lines += [f"Importata {i} Srl;importata{i}@example.it;Forlì;FC" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def member_load(member, stop, out):
    """A sale saved and the home page opened, every 250 ms, until `stop` is set."""
    form = urllib.parse.urlencode(SALE).encode()
    while not stop.is_set():
        save = urllib.request.Request(f"{BASE}/api/sales_create", data=form, headers={"Origin": BASE})
        out.append(("save",) + timed(member, save))
        out.append(("home",) + timed(member, urllib.request.Request(f"{BASE}/", headers={"Accept": "text/html"})))
        stop.wait(0.25)


def summary(name, answers, seconds=None):
    for kind in ("save", "home"):
        ms = [t for k, s, t in answers if k == kind]
        bad = [s for k, s, t in answers if k == kind and not (isinstance(s, int) and 200 <= s < 300)]
        if ms:
            head = f"{name:<28}" + (f" ({seconds:.1f} s)" if seconds is not None else "")
            print(f"{head:<40} {kind}: {len(ms):>4} answers, median {statistics.median(ms):8.1f} ms, "
                  f"max {max(ms):8.1f} ms, not 2xx: {len(bad)} {sorted(set(map(str, bad)))}")


def phase(name, manager, member, mode, body):
    stop, answers = threading.Event(), []
    worker = threading.Thread(target=member_load, args=(member, stop, answers))
    worker.start()
    time.sleep(1)
    query = urllib.parse.urlencode({"kind": "contacts", "mode": mode, "name": "grande.csv"})
    upload = urllib.request.Request(f"{BASE}/import/upload?{query}", data=body, headers={"Origin": BASE})
    status, ms = timed(manager, upload, show_refusal=True)
    time.sleep(0.5)
    stop.set()
    worker.join()
    print(f"{name}: the upload answered {status} in {ms / 1000:.1f} s")
    summary(name, answers, ms / 1000)
    return answers


def main():
    manager, member = session("giulia"), session("marco")
    body = contacts_csv(ROWS)
    print(f"file: {ROWS} rows, {len(body) / 1e6:.1f} MB")
    baseline = []
    stop = threading.Event()
    worker = threading.Thread(target=member_load, args=(member, stop, baseline))
    worker.start()
    time.sleep(8)
    stop.set()
    worker.join()
    summary("baseline (no import)", baseline)
    dry = phase("during the dry run", manager, member, "check", body)
    real = phase("during the import", manager, member, "all", body)
    base_save = statistics.median([t for k, _, t in baseline if k == "save"])
    for name, answers in (("dry run", dry), ("import", real)):
        saves = [t for k, _, t in answers if k == "save"]
        print(f"{name}: slowest save {max(saves):.0f} ms = {max(saves) / base_save:.0f}x the baseline median "
              f"({'met' if max(saves) < 2000 else 'MISSED'}: < 2 s); "
              f"5xx: {sum(1 for _, s, _ in answers if isinstance(s, int) and s >= 500)}")


if __name__ == "__main__":
    main()
