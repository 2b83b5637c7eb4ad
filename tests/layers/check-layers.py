#!/usr/bin/env python3
"""
check-layers: the library's layers use only the layers below them.

Each layer is given as NAME=OBJ[,OBJ...] in order from the bottom (util) to the top; layers
joined with '|' in one argument are siblings (audit|draft): neither may use the other. The
check reads every object with nm: a symbol an object of layer L leaves undefined, that is
defined only in a layer which is not L and not below L, is a violation, reported as
"OBJECT: SYMBOL (defined in LAYER)". Symbols defined nowhere in the layers (libc, libgit2,
OpenSSL, the generated data table) are not the check's business.

  check-layers.py [--nm NM] LAYERS...              check; exit 1 on any violation
  check-layers.py --self-test --cc CC [--nm NM] LAYERS...
      check the real layers, then prove the check can fail: compile, in a scratch directory,
      one object that calls a symbol of the top layer into a copy of the bottom layer's set,
      and require the check to fail naming that symbol.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def parse_layers(args):
    """[(rank, name, [objs])]; siblings share a rank."""
    layers = []
    for rank, arg in enumerate(args):
        for part in arg.split('|'):
            name, _, objs = part.partition('=')
            files = [o for o in objs.split(',') if o]
            if not name or not files:
                sys.exit('check-layers: bad layer argument %r' % part)
            layers.append((rank, name, files))
    return layers


def nm_symbols(nm, obj):
    out = subprocess.run([nm, '-g', '-P', obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2 or line.endswith(':'):
            continue
        (undefined if f[1] in ('U', 'w', 'v') else defined).add(f[0])
    return defined, undefined


def check(nm, layers):
    where = {}      # symbol -> set of (rank, layer name)
    table = []
    for rank, name, objs in layers:
        for obj in objs:
            d, u = nm_symbols(nm, obj)
            table.append((rank, name, obj, u))
            for s in d:
                where.setdefault(s, set()).add((rank, name))
    bad = []
    for rank, name, obj, undefined in table:
        for s in sorted(undefined):
            homes = where.get(s)
            if not homes:
                continue
            if any(n == name or r < rank for r, n in homes):
                continue
            above = ', '.join(sorted(n for _, n in homes))
            bad.append('%s: %s (defined in %s, not below %s)' % (obj, s, above, name))
    return bad


def self_test(nm, cc, layers):
    top = [l for l in layers if l[0] == layers[-1][0]][0]
    target = None
    for obj in top[2]:
        d, _ = nm_symbols(nm, obj)
        cands = sorted(s for s in d if s.startswith('docket_'))
        if cands:
            target = cands[0]
            break
    if not target:
        sys.exit('check-layers: self-test: no symbol found in the top layer %s' % top[1])
    scratch = tempfile.mkdtemp(prefix='docket-layers-')
    try:
        src = os.path.join(scratch, 'probe.c')
        obj = os.path.join(scratch, 'probe.o')
        with open(src, 'w') as f:
            f.write('extern void %s(void);\n'
                    'void docket_layers_probe(void);\n'
                    'void docket_layers_probe(void) { %s(); }\n' % (target, target))
        subprocess.run([cc, '-c', '-o', obj, src], check=True)
        bottom = layers[0]
        copies = []
        for o in bottom[2]:
            dst = os.path.join(scratch, os.path.basename(o))
            shutil.copy(o, dst)
            copies.append(dst)
        scratch_layers = [(bottom[0], bottom[1], copies + [obj])] + layers[1:]
        bad = check(nm, scratch_layers)
        hit = [b for b in bad if b.startswith(obj + ':') and (': %s ' % target) in b]
        if not hit:
            print('check-layers: self-test FAILED: a %s object calling %s was not reported'
                  % (bottom[1], target))
            for b in bad:
                print('  ' + b)
            return 1
        print('check-layers: self-test ok: a scratch %s object calling %s is refused:'
              % (bottom[1], target))
        print('  ' + hit[0])
        return 0
    finally:
        shutil.rmtree(scratch)


def main(argv):
    nm, cc, selftest, rest = 'nm', None, False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--nm':
            nm, i = argv[i + 1], i + 2
        elif a == '--cc':
            cc, i = argv[i + 1], i + 2
        elif a == '--self-test':
            selftest, i = True, i + 1
        else:
            rest.append(a)
            i += 1
    if len(rest) < 2:
        sys.exit(__doc__)
    layers = parse_layers(rest)
    bad = check(nm, layers)
    for b in bad:
        print('check-layers: upward reference: ' + b)
    if bad:
        return 1
    print('check-layers: %d layers, %d objects: every reference goes down'
          % (len(layers), sum(len(l[2]) for l in layers)))
    if selftest:
        if not cc:
            sys.exit('check-layers: --self-test needs --cc')
        return self_test(nm, cc, layers)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
