# Development helper: sums ORT profile JSON (Chrome trace) node times per op type and per node,
# skipping the first run (warm-up). Usage: python3 bench/ort_profile_summary.py FILE.json [top]
import json, sys, collections
f = sys.argv[1]; top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
ev = json.load(open(f))
runs = [e for e in ev if e.get('cat') == 'Session' and e.get('name') == 'model_run']
nodes = [e for e in ev if e.get('cat') == 'Node' and e['name'].endswith('_kernel_time')]
# drop nodes belonging to the first model_run
first = runs[0]; t_end = first['ts'] + first['dur']
nodes = [e for e in nodes if e['ts'] > t_end]
runs = runs[1:]
n = len(runs)
total = sum(r['dur'] for r in runs) / n / 1000
ops = collections.Counter(); per = collections.Counter()
for e in nodes:
    ops[e['args']['op_name']] += e['dur']; per[e['name'][:-len('_kernel_time')] + ' [' + e['args']['op_name'] + ']'] += e['dur']
ksum = sum(ops.values()) / n / 1000
print(f"{f}: {n} runs, model_run {total:.1f} ms/run, kernels {ksum:.1f} ms/run, gap {total-ksum:.1f}")
for k, v in ops.most_common():
    print(f"  {k:32s} {v/n/1000:8.2f} ms  {100*v/n/1000/total:5.1f}%")
print(" top nodes:")
for k, v in per.most_common(top):
    print(f"  {k:60s} {v/n/1000:8.2f} ms")
