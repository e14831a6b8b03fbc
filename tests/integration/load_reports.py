"""load_reports.py URL TOKEN OUT [THREADS] [SECONDS] — posts reports to a
running tldsec serve from several threads over keep-alive connections and
appends the report_id of every 201 to OUT (one per line, flushed at once),
until SECONDS pass or the daemon goes away. For test_serve_crash.sh."""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 8
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 30
u = urllib.parse.urlparse(url)
lock = threading.Lock()
f = open(out, "a")
stop = time.time() + seconds


def worker(n):
    i = 0
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        while time.time() < stop:
            i += 1
            body = json.dumps({"domains": ["d%d-%d.crash%d.example" % (n, i, i % 50)],
                               "threat": "phishing", "description": "crash test"})
            c.request("POST", "/v1/reports", body,
                      {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = c.getresponse()
            data = r.read()
            if r.status == 201:
                rid = json.loads(data)["report_id"]
                with lock:
                    f.write("%d\n" % rid)
                    f.flush()
    except (OSError, http.client.HTTPException):
        pass


ts = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
