#!/usr/bin/env python3
"""Latency of a running mnistd over HTTP, for the README: POST /models/{id}/predict of one image (p50, p99) and
GET /jobs/{id} status polling (p50, p99) while a default job trains. One keep-alive connection, sequential requests.

    python3 scripts/latency.py http://127.0.0.1:8080 [--requests 2000]

It trains a short job first to get a model (or uses the newest model), then starts a default job and measures while
that job runs; the job is cancelled at the end.
"""
import argparse, http.client, json, statistics, time, urllib.parse


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Client:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        start = time.perf_counter()
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        return response.status, json.loads(payload) if payload else None, elapsed


def wait(client, job_id, states):
    while True:
        _, job, _ = client.call("GET", f"/jobs/{job_id}")
        if job["state"] in states:
            return job
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    client = Client(args.url)

    _, models, _ = client.call("GET", "/models")
    if models["models"]:
        model_id = models["models"][0]["id"]
    else:
        _, job, _ = client.call("POST", "/jobs", {"training": {"epochs": 1}})
        model_id = wait(client, job["id"], {"succeeded"})["model_id"]
    _, image, _ = client.call("GET", "/datasets/mnist/test/0")

    _, job, _ = client.call("POST", "/jobs", {})
    job_id = job["id"]
    wait(client, job_id, {"running"})
    predict, poll = [], []
    for _ in range(args.requests):
        status, _, elapsed = client.call("POST", f"/models/{model_id}/predict", {"pixels": image["pixels"]})
        assert status == 200, status
        predict.append(elapsed)
        status, current, elapsed = client.call("GET", f"/jobs/{job_id}")
        assert status == 200, status
        poll.append(elapsed)
    training = current["state"] == "running"
    client.call("POST", f"/jobs/{job_id}/cancel")
    ms = lambda s: f"{s * 1000:.3f} ms"
    print(f"predict one image (pixels JSON): p50 {ms(statistics.median(predict))}, p99 {ms(percentile(predict, 99))}, "
          f"n={len(predict)}")
    print(f"GET /jobs/{{id}} while training: p50 {ms(statistics.median(poll))}, p99 {ms(percentile(poll, 99))}, "
          f"n={len(poll)}, job still training at the end: {training}, "
          f"{current['progress']['samples_per_second'] or 0:.0f} samples/s")


if __name__ == "__main__":
    main()
