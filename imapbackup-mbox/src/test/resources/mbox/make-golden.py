#!/usr/bin/env python3
"""Writes the golden mbox cases: <case>/input.mbox (or <case>/input.mbox/mbox for Apple Mail),
<case>/expected/<n>.eml (the messages the reader must give), <case>/expected/dialect (what
MboxReader.open detects) and <case>/expected/separators (one From_ line per message).
Malformed cases: <case>/expected/error holds the byte offset the exception must name, and
<case>/expected/dialect, when present, the dialect to force (auto-detection reads them as mboxrd).
Inputs and expectations are built here from the message lists, independently of the Java code."""
import os, re, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

def case(name, dialect, parts, messages, bundle=False, extra=None, dates=None, warnings=()):
    """parts: the exact file bytes; messages: the expected message bytes; dates: per message the
    ISO instant of its From_ line, or '-' when it has none (absent: every message has one);
    warnings: the lines (without line end) the reader must warn about, in file order."""
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'expected'))
    if bundle:
        os.makedirs(os.path.join(d, 'input.mbox'))
        path = os.path.join(d, 'input.mbox', 'mbox')
        with open(os.path.join(d, 'input.mbox', 'Info.plist'), 'w') as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n')
    else:
        path = os.path.join(d, 'input.mbox')
    with open(path, 'wb') as f:
        f.write(b''.join(parts))
    for i, m in enumerate(messages, 1):
        with open(os.path.join(d, 'expected', '%d.eml' % i), 'wb') as f:
            f.write(m)
    with open(os.path.join(d, 'expected', 'dialect'), 'w') as f:
        f.write(dialect + '\n')
    seps = [p for p in extra] if extra else []
    with open(os.path.join(d, 'expected', 'separators'), 'wb') as f:
        f.write(b''.join(s + b'\n' for s in seps))
    if dates:
        with open(os.path.join(d, 'expected', 'dates'), 'w') as f:
            f.write(''.join(x + '\n' for x in dates))
    data = b''.join(parts)
    offsets = []
    at = 0
    for w in warnings:
        at = data.index(b'\n' + w, at) + 1
        offsets.append(at)
    with open(os.path.join(d, 'expected', 'warnings'), 'w') as f:
        f.write(''.join('%d\n' % o for o in offsets))

def rd_quote(m):
    return re.sub(rb'(?m)^(>*From )', rb'>\1', m)

def o_quote(m):
    return re.sub(rb'(?m)^From ', rb'>From ', m)

def rd_unquote(m):
    # What reading as mboxrd gives: one '>' less on every ^>+From line. Files written by mboxo
    # tools are read this way (mboxo and mboxrd cannot be told apart): a quoted "From " line comes
    # back as it was sent; a ">From " line that was already in such a message loses its '>'.
    return re.sub(rb'(?m)^>(>*From )', rb'\1', m)

# 1. Our own mboxrd: quoting levels, missing final newline, 8-bit, NUL, empty body, header-only.
msgs = [
    b'From: a@example.org\nSubject: quoting\n\nFrom the start\n>From one\n>>From two\n>>>From three\n>From\n>Fro\n',
    b'Subject: no final newline\n\nlast line',
    b'Subject: 8-bit\n\n\xe9t\xe9 \xff\x00 NUL and 8-bit\n\x00\n',
    b'Subject: empty body\n\n',
    b'Subject: header only\nX-Other: y\n',
    b'',
    b'Subject: crlf inside\r\n\r\nline\r\nFrom x\r\n',
]
seps = [b'From a@example.org Sat Nov 21 23:39:50 2026', b'From MAILER-DAEMON Thu Jan  1 00:00:00 1970',
        b'From b@example.org Mon Feb  3 04:05:06 2020', b'From c@example.org Tue Dec 31 23:59:59 1999',
        b'From d@example.org Wed Jan  1 00:00:00 2025', b'From MAILER-DAEMON Sat Nov 21 23:39:50 2026',
        b'From e@example.org Sun Mar  1 12:00:00 2026']
parts = []
expected = []
for s, m in zip(seps, msgs):
    body = rd_quote(m)
    added = not m.endswith(b'\n')
    parts += [s + b'\n', body, b'\n' if added else b'', b'\n']
    expected.append(m + (b'\n' if added else b''))
case('mboxrd-imapbackup', 'MBOXRD', parts, expected, extra=seps)

# 2. Python mailbox (mboxo): blank line before each message but the first, none at the end.
msgs = [b'From: a@example.org\nSubject: one\n\nFrom the start of it\n', b'Subject: two\n\n>From quoted by hand\nbody\n',
        b'Subject: three\n\nlast\n']
seps = [b'From MAILER-DAEMON Thu Jan  1 00:00:00 1970', b'From MAILER-DAEMON Fri Jul  8 12:08:34 2011',
        b'From a@example.org Fri Jul  8 12:08:35 2011']
parts = []
for i, (s, m) in enumerate(zip(seps, msgs)):
    parts += [b'\n' if i else b'', s + b'\n', o_quote(m)]
case('python-mailbox', 'MBOXRD', parts, [rd_unquote(o_quote(m)) for m in msgs], extra=seps)

# 3. Thunderbird on Windows: "From - <date>" separators, X-Mozilla-Status, CRLF everywhere.
msgs = [b'X-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\nSubject: tb1\r\n\r\nFrom here on we talk\r\n\r\nbye\r\n',
        b'X-Mozilla-Status: 0000\r\nSubject: tb2\r\n\r\nline\r\n\r\n\r\n']
seps = [b'From - Mon Jan  1 00:00:00 2001', b'From - Sat Nov 21 23:39:50 2026']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\r\n', o_quote(m), b'\r\n']
case('thunderbird-crlf', 'MBOXRD', parts, [rd_unquote(o_quote(m)) for m in msgs], extra=seps)

# 4. mutt (mboxcl): Content-Length and Lines headers, >From quoting.
bodies = [b'From me to you\nanother line\n', b'text\n\n>From quoted\n']
heads = [b'From: a@example.org\nSubject: m1\nStatus: RO\n', b'Subject: m2\nStatus: O\n']
seps = [b'From a@example.org Mon Jan  1 00:00:00 2001', b'From b@example.org Tue Jan  2 00:00:00 2001']
parts = []
expected = []
for s, h, b in zip(seps, heads, bodies):
    qb = o_quote(b)
    m = h + b'Content-Length: %d\nLines: %d\n\n' % (len(qb), qb.count(b'\n')) + qb
    parts += [s + b'\n', m, b'\n']
    expected.append(m)
case('mutt-mboxcl', 'MBOXCL', parts, expected, extra=seps)

# 5. Dovecot (mboxcl2): X-IMAPbase, X-UID, Content-Length; body From_ lines not quoted at all.
bodies = [b'Look:\n\nFrom x@example.org Mon Jan  1 00:00:00 2001\nis not a new message\n', b'second\n']
heads = [b'X-IMAPbase: 1234567890 0000000003\nX-UID: 1\nStatus: RO\nSubject: d1\n', b'X-UID: 2\nSubject: d2\n']
seps = [b'From MAILER_DAEMON Sat Nov 21 23:39:50 2026', b'From a@example.org Sat Nov 21 23:40:00 2026']
parts = []
expected = []
for s, h, b in zip(seps, heads, bodies):
    m = h + b'Content-Length: %d\n\n' % len(b) + b
    parts += [s + b'\n', m, b'\n']
    expected.append(m)
case('dovecot-mboxcl2', 'MBOXCL2', parts, expected, extra=seps)

# 6. Google Takeout: numeric sender, zone before the year, X-GM-THRID, X-Gmail-Labels, CRLF bodies.
msgs = [b'X-GM-THRID: 1234567890123456789\r\nX-Gmail-Labels: Inbox,Important\r\nMessage-ID: <t1@mail.gmail.com>\r\n'
        b'Subject: takeout\r\n\r\nbody\r\n',
        b'X-GM-THRID: 1234567890123456790\r\nX-Gmail-Labels: Archived\r\nSubject: t2\r\n\r\nmore\r\n']
seps = [b'From 1234567890123456789@xxx Mon Jan 01 00:00:00 +0000 2020',
        b'From 1234567890123456790@xxx Tue Mar 03 10:20:30 +0100 2020']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', o_quote(m), b'\n']
case('google-takeout', 'MBOXRD', parts, [rd_unquote(o_quote(m)) for m in msgs], extra=seps)

# 7. Apple Mail export: a .mbox bundle directory with the mbox file inside.
msgs = [b'Subject: apple 1\n\nhello\n', b'Subject: apple 2\n\nworld\n']
seps = [b'From a@example.org Mon Jan  1 00:00:00 2001', b'From b@example.org Mon Jan  1 00:00:01 2001']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', m, b'\n']
case('apple-mail', 'MBOXRD', parts, msgs, bundle=True, extra=seps)

# 8. MAILER-DAEMON separators; body lines that start with "From " but are no separators.
msgs = [b'Subject: md1\n\nFrom here on we go\n\nFrom nobody in particular\nFrom a@b Sat, 21 Nov 2026 23:39:50 +0000\n',
        b'Subject: md2\n\nx\n']
seps = [b'From MAILER-DAEMON Fri Jul  8 12:08:34 2011 remote from somewhere', b'From MAILER-DAEMON Fri Jul  8 12:08:35 2011']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', m, b'\n']
case('mailer-daemon', 'MBOXRD', parts, msgs, extra=seps,
     warnings=[b'From a@b Sat, 21 Nov 2026'])

# 9. git format-patch --stdout --no-signature: no empty line before the next From_ line; body lines
#    that merely start with "From " stay in the message (mutt and git's mailsplit read it so).
msgs = [b'From: A U Thor <author@example.com>\nDate: Fri, 1 Mar 2024 10:00:00 +0100\nSubject: [PATCH 1/3] one\n\n'
        b'From the desk of the maintainer:\nFrom me to you\n---\n a | 1 +\n\ndiff --git a/a b/a\n+x\n',
        b'From: A U Thor <author@example.com>\nSubject: [PATCH 2/3] two\n\nFrom here on\n---\n+y\n',
        b'From: A U Thor <author@example.com>\nSubject: [PATCH 3/3] three\n\n---\n+z\n']
seps = [b'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
        b'From 89abcdef0123456789abcdef0123456789abcdef Mon Sep 17 00:00:00 2001',
        b'From fedcba9876543210fedcba9876543210fedcba98 Mon Sep 17 00:00:00 2001']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', m]
case('git-format-patch', 'MBOXRD', parts, msgs, extra=seps, dates=['2001-09-17T00:00:00Z'] * 3)

# 10. A pipermail list archive: "user at host" senders, one message not followed by an empty line.
msgs = [b'From: alice at example.org (Alice)\nSubject: [list] q\n\nquestion\n',
        b'From: bob at example.org (Bob)\nSubject: [list] a\n\nanswer\n\n',
        b'Subject: [list] thanks\n\nthanks\n']
seps = [b'From alice at example.org  Mon Jan  1 10:00:00 2007', b'From bob at example.org  Tue Jan  2 11:00:00 2007',
        b'From alice at example.org  Wed Jan  3 12:00:00 2007']
parts = [seps[0] + b'\n', msgs[0], seps[1] + b'\n', msgs[1], b'\n', seps[2] + b'\n', msgs[2], b'\n']
case('pipermail-archive', 'MBOXRD', parts, msgs, extra=seps,
     dates=['2007-01-01T10:00:00Z', '2007-01-02T11:00:00Z', '2007-01-03T12:00:00Z'])

# 11. Time zones as Mail::Box, MimeKit and GMime test folders and list archives have them: names
#     beyond the US ones, numeric offsets, the zone before the year, "remote from", an unknown name.
seps = [b'From mx@example.de Mon Jan  1 12:00:00 MET 2001', b'From mx@example.de Sun Jul  1 12:00:00 MEST 2001',
        b'From jp@example.jp Mon Jan  1 12:00:00 JST 2001', b'From ee@example.fi Mon Jan  1 12:00:00 2001 EET',
        b'From au@example.au Mon Jan  1 12:00:00 AEST 2001', b'From in@example.in Mon Jan  1 12:00:00 IST 2001',
        b'From kr@example.kr Mon Jan  1 12:00:00 KST 2001', b'From nz@example.nz Mon Jan  1 12:00:00 NZDT 2001',
        b'From num@example.org Mon Jan  1 12:00:00 +0530 2001', b'From num@example.org Mon Jan  1 12:00:00 2001 -08:00',
        b'From uucp Mon Jan  1 12:00:00 2001 remote from gateway', b'From odd@example.org Mon Jan  1 12:00:00 XYZT 2001']
dates = ['2001-01-01T11:00:00Z', '2001-07-01T10:00:00Z', '2001-01-01T03:00:00Z', '2001-01-01T10:00:00Z',
         '2001-01-01T02:00:00Z', '2001-01-01T06:30:00Z', '2001-01-01T03:00:00Z', '2000-12-31T23:00:00Z',
         '2001-01-01T06:30:00Z', '2001-01-01T20:00:00Z', '2001-01-01T12:00:00Z', '-']
msgs = [b'Subject: zone %d\n\nbody %d\n' % (i, i) for i in range(len(seps))]
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', m, b'\n']
case('time-zones', 'MBOXRD', parts, msgs, extra=seps, dates=dates)

# 12. Separators without a date (as in MimeKit's and GMime's test mboxes), the first line one of them.
msgs = [b'Subject: no date 1\n\none\n', b'Subject: no date 2\n\ntwo\n', b'Subject: dated\n\nthree\n',
        b'Subject: daemon\n\nfour\n']
seps = [b'From 1844347792267117879@xxx', b'From 1844347792267117880@xxx', b'From a@example.org Mon Jan  1 00:00:00 2001',
        b'From MAILER-DAEMON']
parts = []
for s, m in zip(seps, msgs):
    parts += [s + b'\n', m, b'\n']
case('undated-separators', 'MBOXRD', parts, msgs, extra=seps, dates=['-', '-', '2001-01-01T00:00:00Z', '-'])

# 13. Thunderbird: "From - " lines anywhere, also without an empty line before them, and bare.
msgs = [b'X-Mozilla-Status: 0001\r\nSubject: t1\r\n\r\none\r\n', b'X-Mozilla-Status: 0000\r\nSubject: t2\r\n\r\ntwo\r\n',
        b'Subject: t3\r\n\r\nthree\r\n', b'Subject: t4\r\n\r\nfour\r\n']
seps = [b'From - Mon Jan  1 00:00:00 2001', b'From - Tue Jan  2 00:00:00 2001', b'From - ', b'From - Thu Jan  4 00:00:00 2001']
parts = [seps[0] + b'\r\n', msgs[0], seps[1] + b'\r\n', msgs[1], b'\r\n', seps[2] + b'\r\n', msgs[2],
         seps[3] + b'\r\n', msgs[3], b'\r\n']
case('thunderbird-from-dash', 'MBOXRD', parts, msgs, extra=seps,
     dates=['2001-01-01T00:00:00Z', '2001-01-02T00:00:00Z', '-', '2001-01-04T00:00:00Z'])

# Malformed inputs: expected/error holds the offset the exception names.
def bad(name, data, offset, dialect=None):
    d = os.path.join(HERE, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'expected'))
    with open(os.path.join(d, 'input.mbox'), 'wb') as f:
        f.write(data)
    with open(os.path.join(d, 'expected', 'error'), 'w') as f:
        f.write('%d\n' % offset)
    if dialect:
        with open(os.path.join(d, 'expected', 'dialect'), 'w') as f:
            f.write(dialect + '\n')

bad('malformed-garbage-first', b'garbage\nFrom a@b Sat Nov 21 23:39:50 2026\nS: 1\n\n', 0)
overrun = b'From a@b Sat Nov 21 23:39:50 2026\nContent-Length: 500\n\nshort\n\n'
bad('malformed-content-length-overrun', overrun, len(overrun), 'MBOXCL2')
body = b'abc\n\nFrom x@y Mon Jan  1 00:00:00 2001\nmore\n'
amb = (b'From a@b Sat Nov 21 23:39:50 2026\nContent-Length: %d\n\n' % len(body) + body + b'and more\n\n'
       b'From c@d Sat Nov 21 23:39:51 2026\nS: 2\n\n')
bad('malformed-content-length-ambiguous', amb, amb.index(b'and more'), 'MBOXCL2')
