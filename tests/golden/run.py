#!/usr/bin/env python3
"""Golden-file tests for the manrs CLI.

Each case in tests/golden/<area>/ is a set of files sharing a name:
  NAME.args  the command line after "manrs" (shell-quoted, one line;
             @SHARED@ is the shared data directory, @SRC@ the source tree,
             @CASE@ this case's directory)
  NAME.in    standard input (optional; else /dev/null)
  NAME.out   expected standard output, byte for byte
  NAME.err   expected standard error (optional; checked when present)
  NAME.rc    expected exit status (optional; default 0)
Paths of the shared data, the source tree and the case directory in the
output are compared as the placeholders @SHARED@, @SRC@ and @CASE@.
A case whose args mention @SHARED@ is skipped when the shared data is
absent.  With --update the .out/.err/.rc files are rewritten from what the
program prints now (review the diff before committing).

usage: run.py [--update] AREA_DIR...
"""
import os
import shlex
import subprocess
import sys


def run_case(manrs, shared, src, casedir, name, update):
    with open(os.path.join(casedir, name + '.args')) as f:
        line = f.read().strip()
    if '@SHARED@' in line and not os.path.isdir(shared):
        print(f'SKIP {name}: shared data absent ({shared})')
        return 'skip'
    line = (line.replace('@SHARED@', shared).replace('@SRC@', src)
            .replace('@CASE@', casedir))
    args = [manrs] + shlex.split(line)
    inp = os.path.join(casedir, name + '.in')
    stdin = open(inp, 'rb') if os.path.exists(inp) else subprocess.DEVNULL
    p = subprocess.run(args, stdin=stdin, capture_output=True, timeout=600)

    def norm(b):
        # Paths differ between checkouts: compare them as placeholders.
        for path, tag in ((casedir, '@CASE@'), (shared, '@SHARED@'),
                          (src, '@SRC@')):
            b = b.replace(path.encode(), tag.encode())
        return b
    outs = {'.out': norm(p.stdout), '.err': norm(p.stderr),
            '.rc': (str(p.returncode) + '\n').encode()}
    if update:
        for ext, data in outs.items():
            path = os.path.join(casedir, name + ext)
            if ext == '.out' or data.strip() not in (b'', b'0'):
                with open(path, 'wb') as f:
                    f.write(data)
            elif os.path.exists(path):
                os.unlink(path)
        return 'pass'
    ok = True
    for ext in ('.out', '.err', '.rc'):
        path = os.path.join(casedir, name + ext)
        if os.path.exists(path):
            with open(path, 'rb') as f:
                want = f.read()
        elif ext == '.rc':
            want = b'0\n'
        else:
            continue
        if outs[ext] != want:
            ok = False
            print(f'FAIL {name}{ext}: differs from {path}')
            sys.stdout.write(f'--- want\n{want[:2000].decode(errors="replace")}\n'
                             f'--- got\n{outs[ext][:2000].decode(errors="replace")}\n')
    return 'pass' if ok else 'fail'


def main():
    argv = sys.argv[1:]
    update = '--update' in argv
    dirs = [a for a in argv if a != '--update']
    manrs = os.environ.get('MANRS_BIN', 'manrs')
    shared = os.environ.get('MANRS_SHARED_DATA', '../shared/data')
    src = os.environ.get('MANRS_SOURCE_ROOT', '.')
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    for d in dirs:
        for fn in sorted(os.listdir(d)):
            if fn.endswith('.args'):
                counts[run_case(manrs, shared, src, d, fn[:-5], update)] += 1
    print(f"{counts['pass']} passed, {counts['fail']} failed, "
          f"{counts['skip']} skipped")
    if counts['pass'] + counts['fail'] == 0 and counts['skip'] == 0:
        print('no cases')
        return 1
    if counts['pass'] == 0 and counts['fail'] == 0:
        return 77
    return 1 if counts['fail'] else 0


if __name__ == '__main__':
    sys.exit(main())
