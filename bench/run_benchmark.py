#!/usr/bin/env python3
# ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0
"""ksleuth throughput benchmark against cat, wc, grep and rg on the same input.

Run from the repository root (this is what `make bench` does):

    python3 bench/run_benchmark.py [--size 1G] [--seed 1] [--work-dir bench-work]
                                   [--binary PATH] [--runs 3]

Steps: build ksleuth (release) unless --binary is given; generate a realistic kernel log with
../shared/tools/make_bench_log.py, splicing in the plain-dmesg incidents of the repository's
corpora/ (reused when the parameters and inputs are unchanged); warm the page cache; time
each command (best of --runs); measure ksleuth's peak RSS; check ksleuth's findings against
the generator's manifest; print a table and verdicts and write WORK_DIR/results.json.

Exit status: 0 whenever the benchmark ran (also when a target is missed, or when
../shared is absent and the benchmark is skipped); 1 on a harness error.
Only the Python 3 standard library is used.
"""

import argparse
import bisect
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Targets (see bench/README.md).
TARGET_RATIO_VS_GREP = 0.5      # ksleuth throughput >= 0.5 x grep -F -c -f throughput
TARGET_RSS_MIB = 64.0           # peak RSS < 64 MiB

PARAMS_VERSION = 1              # bump when the meaning of the sidecar changes


class HarnessError(Exception):
    """Something went wrong with the benchmark itself (not a missed target)."""


def log(msg=''):
    print(msg, flush=True)


def note(msg):
    print('bench: ' + msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- locating tools

def find_shared():
    """Return (make_bench_log.py, trigger_phrases.txt) or None when ../shared is absent."""
    candidates = []
    env = os.environ.get('KSLEUTH_SHARED')
    if env:
        candidates.append(os.path.abspath(env))
    candidates.append(os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared')))
    for base in candidates:
        for tools in (os.path.join(base, 'tools'), base):
            gen = os.path.join(tools, 'make_bench_log.py')
            phrases = os.path.join(tools, 'trigger_phrases.txt')
            if os.path.isfile(gen) and os.path.isfile(phrases):
                return gen, phrases
    return None


def parse_size(s):
    """Same units as make_bench_log.py: K/M/G/T are binary (500K, 100M, 1G)."""
    m = re.fullmatch(r'(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?', s.strip(), re.I)
    if not m:
        raise argparse.ArgumentTypeError('bad size: %r (use e.g. 100M or 1G)' % s)
    mult = {'': 1, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}[m.group(2).upper()]
    return int(float(m.group(1)) * mult)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def first_line_of(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=30, check=False).stdout.decode('utf-8', 'replace')
        return out.strip().splitlines()[0] if out.strip() else None
    except (OSError, subprocess.SubprocessError):
        return None


def build_ksleuth(scratch_path):
    if shutil.which('swift') is None:
        raise HarnessError('swift not found; install Swift or pass --binary PATH')
    cmd = ['swift', 'build', '-c', 'release', '--product', 'ksleuth']
    if scratch_path:
        cmd += ['--scratch-path', scratch_path]
    log('building: ' + ' '.join(cmd))
    r = subprocess.run(cmd, cwd=REPO_ROOT, check=False)
    if r.returncode != 0:
        raise HarnessError('swift build failed (exit %d)' % r.returncode)
    show = subprocess.run(cmd[:4] + cmd[6:] + ['--show-bin-path'], cwd=REPO_ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    bin_dir = show.stdout.decode().strip().splitlines()[-1] if show.returncode == 0 and show.stdout.strip() \
        else os.path.join(REPO_ROOT, scratch_path or '.build', 'release')
    binary = os.path.join(bin_dir, 'ksleuth')
    if not os.access(binary, os.X_OK):
        raise HarnessError('built, but no executable at %s' % binary)
    return binary


# --------------------------------------------------------------------------- incidents

def load_expected(path):
    """The per-input object of a .expected.json: the `ksleuth analyze --format json` shape
    ({"inputs": [{"incidents", "stats", ...}]}) or that input object alone."""
    with open(path, encoding='utf-8') as f:
        doc = json.load(f)
    if isinstance(doc, dict) and isinstance(doc.get('inputs'), list):
        if len(doc['inputs']) != 1:
            return None
        doc = doc['inputs'][0]
    if not isinstance(doc, dict):
        return None
    return doc


def expected_path_for(log_path):
    return log_path[:-len('.log')] + '.expected.json'


def select_incidents(corpora_dir, max_bytes):
    """Every corpora/**/*.log with >= 1 expected incident and dominant_format dmesg-raw.

    Returns (selected, skipped): selected is a list of dicts {path, rel, name, kinds, titles};
    skipped a list of (rel, reason) for the .log files with an expected.json that were
    passed over for a reason other than having no incidents or another format."""
    selected, skipped = [], []
    if not os.path.isdir(corpora_dir):
        return selected, skipped
    for root, dirs, files in os.walk(corpora_dir):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith('.log'):
                continue
            path = os.path.join(root, name)
            exp = expected_path_for(path)
            rel = os.path.relpath(path, corpora_dir)
            if not os.path.isfile(exp):
                continue
            try:
                doc = load_expected(exp)
            except (OSError, ValueError) as e:
                skipped.append((rel, 'unreadable expected.json: %s' % e))
                continue
            if doc is None:
                skipped.append((rel, 'expected.json has an unexpected shape'))
                continue
            incidents = doc.get('incidents') or []
            stats = doc.get('stats') or {}
            if not incidents or stats.get('dominant_format') != 'dmesg-raw':
                continue
            size = os.path.getsize(path)
            if size > max_bytes:
                skipped.append((rel, '%d bytes > --max-incident-bytes %d' % (size, max_bytes)))
                continue
            selected.append({
                'path': path,
                'rel': rel,
                'display': show_path(path),
                # one flat directory for the generator; the name is the manifest's "source"
                'name': rel.replace(os.sep, '__'),
                'kinds': [i.get('kind') for i in incidents],
                'titles': [i.get('title') for i in incidents],
            })
    return selected, skipped


# --------------------------------------------------------------------------- generation

def generate_log(args, gen, selected, work):
    log_path = os.path.join(work, 'bench.log')
    man_path = os.path.join(work, 'bench.manifest.jsonl')
    params_path = os.path.join(work, 'bench.params.json')
    params = {
        'version': PARAMS_VERSION,
        'size': args.size_bytes,
        'seed': args.seed,
        'format': 'dmesg',
        'rate': args.rate,
        'decoys': args.decoys,
        'interleave': args.interleave,
        'generator_sha256': sha256_file(gen),
        'incidents': sorted((s['name'], sha256_file(s['path'])) for s in selected),
    }
    if os.path.isfile(params_path) and os.path.isfile(log_path) and os.path.isfile(man_path):
        try:
            with open(params_path) as f:
                old = json.load(f)
            if old.get('params') == json.loads(json.dumps(params)) \
                    and old.get('log_bytes') == os.path.getsize(log_path):
                log('reusing %s (same parameters and inputs; delete %s to regenerate)'
                    % (os.path.relpath(log_path), os.path.relpath(params_path)))
                return log_path, man_path, old.get('generator_summary', '')
        except (OSError, ValueError):
            pass
    for p in (params_path, log_path, man_path):
        if os.path.exists(p):
            os.remove(p)
    with tempfile.TemporaryDirectory(prefix='ksleuth-bench-incidents-') as inc_dir:
        for s in selected:
            shutil.copyfile(s['path'], os.path.join(inc_dir, s['name']))
        cmd = [sys.executable, gen, '--size', str(args.size_bytes), '--seed', str(args.seed),
               '--format', 'dmesg', '--decoys', str(args.decoys),
               '--out', log_path + '.tmp', '--manifest', man_path + '.tmp']
        if selected:
            cmd += ['--incidents', inc_dir, '--rate', str(args.rate)]
        if args.interleave:
            cmd += ['--interleave', str(args.interleave)]
        log('generating %s (%s) ...' % (os.path.relpath(log_path), args.size))
        t0 = time.perf_counter()
        r = subprocess.run(cmd, stderr=subprocess.PIPE, check=False)
        summary = r.stderr.decode('utf-8', 'replace')
        if r.returncode != 0:
            sys.stderr.write(summary)
            raise HarnessError('make_bench_log.py failed (exit %d)' % r.returncode)
        log('generated in %.1f s' % (time.perf_counter() - t0))
    os.replace(log_path + '.tmp', log_path)
    os.replace(man_path + '.tmp', man_path)
    with open(params_path, 'w') as f:
        json.dump({'params': params, 'log_bytes': os.path.getsize(log_path),
                   'generator_summary': summary}, f, indent=1)
        f.write('\n')
    return log_path, man_path, summary


# --------------------------------------------------------------------------- timing

def run_once(argv, stdout_path=None):
    """Run argv; return (wall seconds, exit status, child rusage)."""
    out = open(stdout_path or os.devnull, 'wb')
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        # keep diagnostics for an error message (read before waiting: no deadlock)
        err = p.stderr.read()
        p.stderr.close()
        _pid, status, rusage = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
        p.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') \
            else (os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status))
        return t1 - t0, p.returncode, rusage, err
    finally:
        out.close()


def time_command(label, argv, runs, ok_codes, stdout_path=None):
    times, rss = [], []
    cpu = []
    for i in range(runs):
        secs, code, ru, err = run_once(argv, stdout_path)
        if code not in ok_codes:
            msg = err.decode('utf-8', 'replace').strip()[-2000:]
            raise HarnessError('%s exited with status %d%s' % (label, code, (':\n' + msg) if msg else ''))
        times.append(secs)
        rss.append(ru.ru_maxrss)        # KiB on Linux
        cpu.append(ru.ru_utime + ru.ru_stime)
    best = min(range(runs), key=lambda k: times[k])
    return {'label': label, 'argv': argv, 'seconds': times[best], 'all_seconds': times,
            'cpu_seconds': cpu[best], 'max_rss_kib': max(rss)}


def read_output(path):
    if not path:
        return None
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read().strip()
    return text.split()[0] if text else ''


def ksleuth_peak_rss(argv, stdout_path):
    """Peak RSS of one ksleuth run in KiB, and how it was measured."""
    time_bin = '/usr/bin/time'
    if os.access(time_bin, os.X_OK):
        with tempfile.NamedTemporaryFile(prefix='ksleuth-bench-time-', suffix='.txt', delete=False) as tf:
            tpath = tf.name
        try:
            with open(stdout_path, 'wb') as out:
                r = subprocess.run([time_bin, '-v', '-o', tpath] + argv, stdout=out,
                                   stderr=subprocess.DEVNULL, check=False)
            with open(tpath, encoding='utf-8', errors='replace') as f:
                text = f.read()
            m = re.search(r'Maximum resident set size \(kbytes\):\s*(\d+)', text)
            if r.returncode == 0 and m:
                return int(m.group(1)), '/usr/bin/time -v'
        finally:
            os.remove(tpath)
    # Fallback: a fresh Python process whose only child is ksleuth reports its children's
    # ru_maxrss (KiB on Linux), so nothing else can contribute to the figure.
    probe = ('import resource, subprocess, sys\n'
             'with open(sys.argv[1], "wb") as out:\n'
             '    r = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)\n'
             'print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n')
    r = subprocess.run([sys.executable, '-c', probe, stdout_path] + argv,
                       stdout=subprocess.PIPE, check=False)
    try:
        code, kib = map(int, r.stdout.split())
    except ValueError:
        raise HarnessError('could not measure ksleuth peak RSS')
    if code != 0:
        raise HarnessError('ksleuth exited with status %d while measuring RSS' % code)
    return kib, 'getrusage(RUSAGE_CHILDREN) in a fresh subprocess'


# --------------------------------------------------------------------------- manifest check

def load_jsonl(path):
    items = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                items.append(json.loads(line))
            except ValueError as e:
                raise HarnessError('%s line %d is not JSON: %s' % (path, n, e))
    return items


def span_of_manifest(rec):
    first = rec.get('first_line', rec.get('line'))
    last = rec.get('last_line', rec.get('end_line', first))
    return int(first), int(last)


def read_lines(path, wanted):
    """Text of the given 1-based line numbers (a set), in one pass."""
    out = {}
    if not wanted:
        return out
    top = max(wanted)
    with open(path, 'rb') as f:
        for n, raw in enumerate(f, 1):
            if n in wanted:
                out[n] = raw.decode('utf-8', 'replace').rstrip('\n')
            if n >= top:
                break
    return out


def check_manifest(manifest, reported, log_path, by_name):
    inc = sorted((span_of_manifest(r) + (r,) for r in manifest if r.get('kind') == 'incident'),
                 key=lambda t: t[0])
    dec = sorted((span_of_manifest(r) + (r,) for r in manifest if r.get('kind') == 'decoy'),
                 key=lambda t: t[0])
    # Notices (kind "notice": one-line kernel messages such as "TCP: out of memory -- consider
    # tuning tcp_mem", which the generator also uses as decoys) are no crash or memory report:
    # they are counted apart and never compared with the manifest's incidents or decoys.
    rep, notices = [], []
    for r in reported:
        ev = r.get('evidence') or {}
        try:
            span = (int(ev['first_line']), int(ev['last_line']), r)
        except (KeyError, TypeError, ValueError):
            raise HarnessError('a reported incident has no evidence first_line/last_line: %s'
                               % json.dumps(r)[:300])
        (notices if r.get('kind') == 'notice' else rep).append(span)
    rep.sort(key=lambda t: t[0])
    notices_on_decoys = 0
    dec_sorted_lines = sorted(t[0] for t in dec)
    for first, last, _ in notices:
        lo = bisect.bisect_left(dec_sorted_lines, first)
        hi = bisect.bisect_right(dec_sorted_lines, last)
        notices_on_decoys += hi - lo
    rep_firsts = [t[0] for t in rep]
    inc_firsts = [t[0] for t in inc]
    dec_lines = [t[0] for t in dec]

    def overlapping_reports(a, b):
        # reports with first <= b and last >= a; reports are short, so scan back a little
        hi = bisect.bisect_right(rep_firsts, b)
        return [t for t in rep[:hi] if t[1] >= a]

    def brief_report(t):
        first, last, r = t
        lines = r.get('lines') or []
        return {'kind': r.get('kind'), 'title': r.get('title'), 'first_line': first,
                'last_line': last, 'first_text': lines[0].get('text') if lines else None}

    def source_info(rec):
        name = rec.get('source')
        s = by_name.get(name)
        d = {'source': name, 'first_line': span_of_manifest(rec)[0],
             'last_line': span_of_manifest(rec)[1], 'byte_offset': rec.get('byte_offset'),
             'lines': rec.get('lines')}
        if s:
            d['corpus_file'] = s['display']
            d['expected_kinds'] = s['kinds']
            d['expected_titles'] = s['titles']
        return d

    missed, count_mismatch = [], []
    for a, b, rec in inc:
        hits = overlapping_reports(a, b)
        if not hits:
            d = source_info(rec)
            # what ksleuth reported nearest to it, if anything
            k = bisect.bisect_left(rep_firsts, a)
            near = [rep[j] for j in (k - 1, k) if 0 <= j < len(rep)]
            if near:
                d['nearest_reported'] = brief_report(min(near, key=lambda t: min(abs(t[0] - a), abs(t[0] - b))))
            missed.append(d)
            continue
        s = by_name.get(rec.get('source'))
        if s is not None and sorted(map(str, s['kinds'])) != sorted(str(t[2].get('kind')) for t in hits):
            d = source_info(rec)
            d['reported'] = [dict(brief_report(t), inside=t[0] >= a and t[1] <= b) for t in hits]
            count_mismatch.append(d)

    outside = []
    for t in rep:
        first, last, r = t
        k = bisect.bisect_right(inc_firsts, first) - 1
        if k >= 0 and inc[k][0] <= first and last <= inc[k][1]:
            continue
        d = brief_report(t)
        # a span it partly overlaps, if any
        for a, b, rec in inc[max(0, k - 1):k + 2]:
            if first <= b and last >= a:
                d['partly_overlaps_incident'] = source_info(rec)
                break
        outside.append(d)

    decoy_hits = []
    for t in rep:
        first, last, r = t
        lo = bisect.bisect_left(dec_lines, first)
        hi = bisect.bisect_right(dec_lines, last)
        for a, b, rec in dec[lo:hi]:
            d = brief_report(t)
            d['decoy'] = {'source': rec.get('source'), 'line': a}
            decoy_hits.append(d)

    # the log text of the lines worth looking at: first lines, and for a report that runs
    # past its spliced span, the (noise) lines it took in beyond the span
    wanted = set()
    for d in outside[:10]:
        wanted.add(d['first_line'])
        p = d.get('partly_overlaps_incident')
        if p:
            wanted.update(range(d['first_line'], min(p['first_line'], d['last_line'] + 1)))
            wanted.update(range(max(p['last_line'] + 1, d['first_line']), d['last_line'] + 1))
    for d in decoy_hits[:10]:
        wanted.add(d['decoy']['line'])
    for d in missed[:10]:
        wanted.add(d['first_line'])
    # cap the work for runaway spans
    wanted = set(sorted(wanted)[:2000])
    text = read_lines(log_path, wanted)
    for d in outside[:10]:
        d['log_text'] = text.get(d['first_line'])
        p = d.get('partly_overlaps_incident')
        if p:
            before = [n for n in range(d['first_line'], min(p['first_line'], d['last_line'] + 1))]
            after = [n for n in range(max(p['last_line'] + 1, d['first_line']), d['last_line'] + 1)]
            d['lines_before_span'] = len(before)
            d['lines_after_span'] = len(after)
            d['text_outside_span'] = [{'line': n, 'text': text.get(n)} for n in (before[:5] + after[:5])]
    for d in decoy_hits[:10]:
        d['decoy']['log_text'] = text.get(d['decoy']['line'])
    for d in missed[:10]:
        d['log_text_at_first_line'] = text.get(d['first_line'])

    return {
        'manifest_incidents': len(inc),
        'manifest_decoys': len(dec),
        'reported_incidents': len(rep),
        'reported_notices': len(notices),
        'decoy_lines_in_notices': notices_on_decoys,
        'missed': len(missed),
        'outside_spans': len(outside),
        'decoy_overlaps': len(decoy_hits),
        'kind_mismatches': len(count_mismatch),
        'clean': not missed and not outside and not decoy_hits,
        'missed_first10': missed[:10],
        'outside_first10': outside[:10],
        'decoy_overlaps_first10': decoy_hits[:10],
        'kind_mismatches_first10': count_mismatch[:10],
    }


# --------------------------------------------------------------------------- report

def show_path(path):
    rel = os.path.relpath(path, REPO_ROOT)
    return path if rel.startswith('..') else rel


def mbps(nbytes, secs):
    return nbytes / 1e6 / secs if secs > 0 else float('inf')


def print_table(results, nbytes, ks):
    w = max(len(r['label']) for r in results)
    log()
    log('%-*s  %9s  %10s  %12s  %s' % (w, 'command', 'seconds', 'MB/s', 'ksleuth/this', 'output'))
    log('%s  %s  %s  %s  %s' % ('-' * w, '-' * 9, '-' * 10, '-' * 12, '-' * 12))
    for r in results:
        ratio = '' if r is ks else '%.2f' % (r['mb_per_s'] and ks['mb_per_s'] / r['mb_per_s'])
        log('%-*s  %9.3f  %10.1f  %12s  %s' % (w, r['label'], r['seconds'], r['mb_per_s'], ratio,
                                              r.get('output') or ''))


def clip(text, n=110):
    text = '' if text is None else str(text)
    return text if len(text) <= n else text[:n - 3] + '...'


def describe(category, d):
    """One finding of the manifest check, for people (results.json has every field)."""
    if category == 'missed':
        s = '%s spliced at lines %d-%d (%d lines): nothing reported' % (
            d.get('corpus_file', d['source']), d['first_line'], d['last_line'], d.get('lines') or 0)
        if d.get('expected_titles'):
            s += '\n      expected: ' + '; '.join('%s "%s"' % (k, clip(t, 80)) for k, t in
                                                 zip(d['expected_kinds'], d['expected_titles']))
        if d.get('nearest_reported'):
            n = d['nearest_reported']
            s += '\n      nearest report: %s at lines %d-%d' % (n['kind'], n['first_line'], n['last_line'])
        return s
    if category == 'outside':
        s = '%s "%s" at lines %d-%d' % (d['kind'], clip(d['title'], 80), d['first_line'], d['last_line'])
        p = d.get('partly_overlaps_incident')
        if not p:
            return s + ': in no spliced span\n      log: ' + clip(d.get('log_text'))
        parts = []
        if d.get('lines_before_span'):
            parts.append('starts %d line(s) before' % d['lines_before_span'])
        if d.get('lines_after_span'):
            parts.append('runs %d line(s) past the end of' % d['lines_after_span'])
        s += ': %s %s (spliced at %d-%d)' % (' and '.join(parts), p.get('corpus_file', p['source']),
                                             p['first_line'], p['last_line'])
        for t in d.get('text_outside_span', []):
            s += '\n      %d: %s' % (t['line'], clip(t['text']))
        return s
    if category == 'decoy':
        return '%s "%s" at lines %d-%d covers %s at line %d\n      %s' % (
            d['kind'], clip(d['title'], 80), d['first_line'], d['last_line'], d['decoy']['source'],
            d['decoy']['line'], clip(d['decoy'].get('log_text')))
    # kind mismatch
    return '%s at lines %d-%d: expected [%s], reported [%s]' % (
        d.get('corpus_file', d['source']), d['first_line'], d['last_line'],
        ', '.join(map(str, d.get('expected_kinds', []))),
        ', '.join('%s%s' % (r['kind'], '' if r['inside'] else ' (runs outside)') for r in d['reported']))


def print_items(title, category, items, total):
    log('%s: %d' % (title, total))
    for d in items:
        log('  - ' + describe(category, d))
    if total > len(items):
        log('  ... and %d more (results.json lists the first 10 with details)' % (total - len(items)))


def main():
    ap = argparse.ArgumentParser(
        description='Benchmark ksleuth against cat, wc -l, grep -F and rg on a generated '
                    'kernel log, and check its findings against the generator manifest.',
        epilog='Exit status 0 when the benchmark ran (targets may still fail), 1 on harness errors.')
    ap.add_argument('--size', default='1G', help='log size, binary units: 100M, 1G (default 1G)')
    ap.add_argument('--seed', type=int, default=1, help='generator seed (default 1)')
    ap.add_argument('--work-dir', default='bench-work',
                    help='where the log, manifest, ksleuth output and results go '
                         '(default bench-work, relative to the repository root)')
    ap.add_argument('--binary', help='ksleuth binary to use; default: swift build -c release')
    ap.add_argument('--scratch-path', help='swift build --scratch-path (e.g. .build-bench)')
    ap.add_argument('--runs', type=int, default=3, help='timed runs per command; the best counts (default 3)')
    ap.add_argument('--rate', type=float, default=2.0, help='incidents per 100 MiB (default 2)')
    ap.add_argument('--decoys', type=float, default=5.0, help='near-miss lines per 100 MiB (default 5)')
    ap.add_argument('--interleave', type=float, default=0.0,
                    help="generator's --interleave probability (default 0)")
    ap.add_argument('--corpora', default='corpora',
                    help='where incident samples come from (default corpora, relative to the repository root)')
    ap.add_argument('--max-incident-bytes', type=int, default=1 << 20,
                    help='skip corpus files larger than this (default 1 MiB)')
    args = ap.parse_args()
    try:
        args.size_bytes = parse_size(args.size)
    except argparse.ArgumentTypeError as e:
        ap.error(str(e))
    if args.runs < 1:
        ap.error('--runs must be at least 1')

    shared = find_shared()
    if shared is None:
        log('skipped: ../shared not present (looked for tools/make_bench_log.py and '
            'tools/trigger_phrases.txt in $KSLEUTH_SHARED and %s)'
            % os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared')))
        return 0
    gen, phrases = shared

    try:
        return run(args, gen, phrases)
    except HarnessError as e:
        print('bench: error: %s' % e, file=sys.stderr)
        return 1


def run(args, gen, phrases):
    work = os.path.join(REPO_ROOT, args.work_dir) if not os.path.isabs(args.work_dir) else args.work_dir
    os.makedirs(work, exist_ok=True)
    corpora = args.corpora if os.path.isabs(args.corpora) else os.path.join(REPO_ROOT, args.corpora)

    if args.binary:
        binary = os.path.abspath(args.binary)
        if not os.access(binary, os.X_OK):
            raise HarnessError('--binary %s is not an executable file' % args.binary)
    else:
        binary = build_ksleuth(args.scratch_path)

    selected, skipped = select_incidents(corpora, args.max_incident_bytes)
    by_name = {s['name']: s for s in selected}
    log('incident samples: %d plain-dmesg files with incidents under %s'
        % (len(selected), show_path(corpora)))
    for rel, why in skipped:
        log('  skipped %s: %s' % (rel, why))
    if not selected:
        log('  note: none found; the log will hold noise and decoys only, so the manifest '
            'check can only find false positives')

    log_path, man_path, gen_summary = generate_log(args, gen, selected, work)
    nbytes = os.path.getsize(log_path)
    manifest = load_jsonl(man_path)
    ks_out = os.path.join(work, 'ksleuth.jsonl')

    # warm the page cache once, in this run
    with open(log_path, 'rb') as f:
        while f.read(1 << 24):
            pass
    subprocess.run(['cat', log_path], stdout=subprocess.DEVNULL, check=False)

    # Only cat writes to /dev/null. GNU grep stops at the first match when its standard
    # output is /dev/null (it then behaves like -q, even with -c), so the counting commands
    # write to a regular file, whose content is kept as a sanity check.
    def out(name):
        return os.path.join(work, 'out.%s.txt' % name)
    cmds = [
        ('cat FILE > /dev/null', ['cat', log_path], (0,), None),
        ('wc -l FILE', ['wc', '-l', log_path], (0,), out('wc')),
        ('grep -F -c -f trigger_phrases.txt FILE', ['grep', '-F', '-c', '-f', phrases, log_path], (0, 1),
         out('grep')),
    ]
    rg = shutil.which('rg')
    notes = []
    if rg:
        cmds.append(('rg -c -F -f trigger_phrases.txt FILE', [rg, '-c', '-F', '-f', phrases, log_path], (0, 1),
                     out('rg')))
    else:
        notes.append('rg not installed: its baseline was skipped')
        log('note: rg not installed; skipping the rg baseline')

    log('timing (best of %d) on %s: %d bytes (%.1f MB) ...' % (args.runs, os.path.relpath(log_path), nbytes, nbytes / 1e6))
    results = []
    for label, argv, ok, stdout_path in cmds:
        r = time_command(label, argv, args.runs, ok, stdout_path)
        r['output'] = read_output(stdout_path)
        results.append(r)
    counts = {r['label'].split()[0]: r['output'] for r in results if r['output'] is not None}
    if 'grep' in counts and 'rg' in counts and counts['grep'] != counts['rg']:
        notes.append('grep and rg counted different numbers of matching lines: %s vs %s'
                     % (counts['grep'], counts['rg']))
        log('note: ' + notes[-1])
    ks_argv = [binary, 'analyze', '--format', 'jsonl', log_path]
    ks = time_command('ksleuth analyze --format jsonl FILE', ks_argv, args.runs, (0,), stdout_path=ks_out)
    results.append(ks)
    for r in results:
        r['mb_per_s'] = mbps(nbytes, r['seconds'])
    rss_kib, rss_method = ksleuth_peak_rss(ks_argv, ks_out)
    reported = load_jsonl(ks_out)
    ks['output'] = '%d incidents and notices' % len(reported)
    rss_mib = rss_kib / 1024.0

    print_table(results, nbytes, ks)
    ratios = {}
    for r in results:
        if r is ks:
            continue
        name = {'cat FILE > /dev/null': 'cat', 'wc -l FILE': 'wc -l',
                'grep -F -c -f trigger_phrases.txt FILE': 'grep -F',
                'rg -c -F -f trigger_phrases.txt FILE': 'rg -F'}[r['label']]
        ratios[name] = ks['mb_per_s'] / r['mb_per_s']
    log()
    for name, v in ratios.items():
        log('ksleuth / %-8s = %.2f' % (name, v))
    log('ksleuth peak RSS = %.1f MiB (%s)' % (rss_mib, rss_method))
    log('ksleuth CPU time = %.3f s (user+sys, best run)' % ks['cpu_seconds'])

    # manifest check
    check = check_manifest(manifest, reported, log_path, by_name)
    log()
    log('manifest check: %d spliced incidents, %d decoys; ksleuth reported %d incidents'
        ' and, apart, %d notices (covering %d decoy lines; notices are not compared)'
        % (check['manifest_incidents'], check['manifest_decoys'], check['reported_incidents'],
           check['reported_notices'], check['decoy_lines_in_notices']))
    print_items('missed incidents (no reported incident overlaps the spliced span)', 'missed',
                check['missed_first10'], check['missed'])
    print_items('reported incidents not inside a spliced span', 'outside',
                check['outside_first10'], check['outside_spans'])
    print_items('reported incidents overlapping a decoy line', 'decoy',
                check['decoy_overlaps_first10'], check['decoy_overlaps'])
    print_items('spans whose reported kinds differ from the corpus expected.json (informational)',
                'kinds', check['kind_mismatches_first10'], check['kind_mismatches'])

    grep_ratio = ratios.get('grep -F')
    verdicts = [
        {'target': 'ksleuth throughput >= %.1f x grep -F -c -f throughput' % TARGET_RATIO_VS_GREP,
         'value': '%.2f x' % grep_ratio, 'pass': grep_ratio >= TARGET_RATIO_VS_GREP},
        {'target': 'ksleuth peak RSS < %.0f MiB' % TARGET_RSS_MIB,
         'value': '%.1f MiB' % rss_mib, 'pass': rss_mib < TARGET_RSS_MIB},
        {'target': 'manifest check clean',
         'value': '%d missed, %d outside spans, %d on decoys'
                  % (check['missed'], check['outside_spans'], check['decoy_overlaps']),
         'pass': check['clean']},
    ]
    log()
    log('targets:')
    for v in verdicts:
        log('  %s  %s  (%s)' % ('PASS' if v['pass'] else 'FAIL', v['target'], v['value']))
    if not selected:
        log('  note: no incidents were spliced, so "manifest check clean" only shows the absence '
            'of false positives')

    results_path = os.path.join(work, 'results.json')
    doc = {
        'log': {'path': os.path.relpath(log_path, REPO_ROOT), 'bytes': nbytes, 'size_arg': args.size,
                'seed': args.seed, 'rate_per_100MiB': args.rate, 'decoys_per_100MiB': args.decoys,
                'interleave': args.interleave, 'incident_samples': [s['rel'] for s in selected],
                'generator_summary': gen_summary.strip().splitlines()},
        'runs': args.runs,
        'commands': [{k: r.get(k) for k in ('label', 'seconds', 'all_seconds', 'cpu_seconds', 'mb_per_s',
                                            'max_rss_kib', 'output')} for r in results],
        'ratios': {'ksleuth / ' + k: v for k, v in ratios.items()},
        'ksleuth': {'binary': binary, 'peak_rss_mib': rss_mib, 'peak_rss_method': rss_method,
                    'output': os.path.relpath(ks_out, REPO_ROOT)},
        'manifest_check': check,
        'targets': verdicts,
        'notes': notes,
        'environment': {
            'platform': platform.platform(), 'cpus': os.cpu_count(),
            'python': platform.python_version(),
            'locale': {k: os.environ.get(k) for k in ('LC_ALL', 'LC_CTYPE', 'LANG')},
            'grep': first_line_of(['grep', '--version']),
            'rg': first_line_of([rg, '--version']) if rg else None,
            'ksleuth': first_line_of([binary, '--version']),
        },
        'time': time.strftime('%Y-%m-%dT%H:%M:%S%z'),
    }
    with open(results_path, 'w') as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write('\n')
    log()
    log('results: %s' % os.path.relpath(results_path, REPO_ROOT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
