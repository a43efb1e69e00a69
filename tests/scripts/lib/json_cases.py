#!/usr/bin/python3
"""Writes the json_*_cases.weft tests: case tables whose `# expect:` lines
are CPython 3.11's own output. Each .weft file is also a Python program:
this script runs it with CPython and appends what it printed.

    /usr/bin/python3 tests/scripts/lib/json_cases.py    # from the top folder

Only documents and values Weft and Python treat alike belong here; the
differences (lone surrogates, depth limits, Weft's own types) are tested by
hand in json_*.weft.
"""
import contextlib
import io
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Shown by every loads case: the value, or the error with its attributes.
LOADS_DRIVER = '''
def show(doc):
    try:
        print(repr(doc), "->", repr(json.loads(doc)))
    except json.JSONDecodeError as e:
        print(repr(doc), "!", isinstance(e, ValueError), str(e), "|", e.msg, e.pos, e.lineno, e.colno, e.doc == doc)
'''

LOADS_OK = [
    '1', '-0', '-0.0', '0', '1.5', '-1.5', '1e5', '1E+2', '1e-5', '2.5E-3', '0.1', '3.141592653589793',
    '1e400', '-1e400', '1e-400', '5e-324', '2.5e-324', '1.7976931348623157e308', '1.7976931348623159e308',
    '123456789012345678901234567890', '-123456789012345678901234567890', '18446744073709551615',
    '18446744073709551616', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
    '-9223372036854775809', '140737488355327', '140737488355328', '-140737488355328', '-140737488355329',
    '1' * 60, '[1' + '0' * 40 + ', 2.0]',
    'NaN', 'Infinity', '-Infinity', '[NaN, Infinity, -Infinity, 1]', '{"a": NaN}',
    'true', 'false', 'null', '[true, false, null]',
    '""', '"abc"', '"\\u00e9"', '"\\u00E9\\u4e2d"', '"\\ud83d\\ude00"', '"\\uD834\\uDD1E"', '"\\u0000"',
    '"\\n\\t\\b\\f\\r\\/\\\\\\""', '"é😀中"', '"\\u12345"', '"a\\u0041b"', '"\x7f"',
    '  [1, 2 , 3 ]  ', '\t\n\r 1 \n', '{}', '[]', '[[]]', '[{}]', '{"": ""}',
    '{"a": 1, "a": 2}', '{"b": 1, "a": 2, "b": 3}', '[[[[["deep"]]]]]',
    '{"a": {"b": [1, {"c": null}]}, "d": [1.0, 2.5, -3]}', '{"é": "😀", "\\u00e9x": 1}',
    '[1,2,3,4,5,6,7,8,9,10]', '{"k":[],"l":{},"m":[{}],"n":"\\""}',
    '[1e5, 1E5, 1.0e+5, 100000]', '[-0, 0.0, -0.0, 0e0]',
]

LOADS_ERRORS = [
    '', ' ', '\n\n', '[', '[1', '[1,', '[1,]', '[1 2]', '[1,,2]', ']', '{', '{"a"', '{"a":', '{"a":1',
    '{"a":1,}', '{"a" 1}', '{1:2}', "{'a':1}", '{"a":1 "b":2}', '{,}', '"abc', '"a\\', '"\\x"', '"\\u12"',
    '"\\u12g4"', '"\\u"', '"\\uzzzz"', '"\\ud83d\\uzzzz"', '"a\tb"', '"a\nb"', '"\x00"', '"\x1f"', '1 2',
    '[1] x', '[1] \x00', 'nul', 'tru', 'fals', 'NaNx', 'nan', 'inf', '-', '-a', '-Inf', '01', '00', '-01',
    '1.', '1.e5', '1e', '1e+', '.5', '+1', '0x10', '[1,\n2\n,]', '{\n"a": 1,\n"b" 2}',
    '"é" x', '["é😀", x]', '\n  \n  [1,\n   2,\n   oops]', '\ufeff1', '[1]]', '{"a":1}}', '"\\ud800\\u00zz"',
    '[' * 5 + ']' * 4, '{"a": [1, 2}', '[\'x\']', 'True', 'None', '1 # comment',
]

DUMPS_DRIVER = '''
def show(label, thunk):
    try:
        print(label, repr(thunk()))
    except Exception as e:
        print(label, repr(e))
'''

DUMPS_VALUES = [
    'None', 'True', 'False', '0', '-1', '2 ** 100', '-(2 ** 70)', '140737488355328', '1.0', '0.1', '1e16',
    '1e-5', '1e22', '-0.0', '3.141592653589793', '1 / 3', '123456789.125', '1e300 * 10', '-1e300 * 10',
    '"abc"', '"é"', '"😀"', '"中文"', '"\\x00\\x1f\\x7f\\x80"', '"a\\"b\\\\c/d"', '"\\n\\r\\t\\b\\f"', '""',
    '[]', '{}', '()', '[1, [2, [3, []]]]', '(1, "a", None)', '{"a": 1, "b": [1, 2]}', '{"b": 1, "a": 2}',
    '{2: "int", 1.5: "float", True: "true", None: "null", False: "false"}', '{10 ** 30: 1, -0.0: 2}',
    '[{"x": [], "y": {}}, {"z": [1, {"w": "é"}]}]', '{"k": {"j": {"i": [1, 2, {"h": None}]}}}',
    '["😀é", {"中": "文"}]',
]

DUMPS_OPTIONS = [
    '', 'indent=2', 'indent=0', 'indent="\\t"', 'indent=-1', 'indent="ab"', 'sort_keys=True',
    'ensure_ascii=False', 'separators=(",", ":")', 'indent=2, sort_keys=True', 'indent=1, separators=(",", ": ")',
    'separators=(" , ", " : "), ensure_ascii=False', 'indent=True',
]

DUMPS_MORE = [
    ('nan', 'json.dumps(float("nan"))'),
    ('inf list', 'json.dumps([1e300 * 10, -1e300 * 10, float("nan")])'),
    ('allow_nan', 'json.dumps([float("nan")], allow_nan=False)'),
    ('allow_nan inf', 'json.dumps(1e300 * 10, allow_nan=False)'),
    ('allow_nan key', 'json.dumps({1e300 * 10: 1}, allow_nan=False)'),
    ('nan key', 'json.dumps({float("nan"): 1})'),
    ('tuple key', 'json.dumps({(1, 2): 3})'),
    ('skipkeys', 'json.dumps({(1, 2): 3, "a": 4, (5,): 6, "b": 7}, skipkeys=True)'),
    ('skipkeys indent', 'json.dumps({(1, 2): 3, "a": 4}, skipkeys=True, indent=2)'),
    ('bytes', 'json.dumps(b"x")'),
    ('bytes in list', 'json.dumps([1, b"x"])'),
    ('range', 'json.dumps(range(3))'),
    ('default', 'json.dumps([range(3), b"ab"], default=repr)'),
    ('default list', 'json.dumps({"r": range(3)}, default=list)'),
    ('default raises', 'json.dumps(b"x", default=lambda o: 1 / 0)'),
    ('sort mixed', 'json.dumps({1: 2, "a": 3}, sort_keys=True)'),
    ('sort numbers', 'json.dumps({3: 1, 1.5: 2, 2: 3}, sort_keys=True)'),
    ('separators list', 'json.dumps([1, {"a": 2}], separators=[";", "="])'),
    ('separators three', 'json.dumps([1], separators=(",", ":", "!"))'),
    ('separators one', 'json.dumps([1], separators=(",",))'),
    ('indent float', 'json.dumps([1], indent=1.5)'),
    ('two args', 'json.dumps(1, 2)'),
    ('no args', 'json.dumps()'),
    ('loads int', 'json.loads(1)'),
    ('loads list', 'json.loads([])'),
    ('loads None', 'json.loads(None)'),
    ('loads bytes', 'json.loads(b\'{"a": [1, "\\xc3\\xa9"]}\')'),
    ('loads bytes bom', 'json.loads(b"\\xef\\xbb\\xbf[1]")'),
    ('loads keyword', 'json.loads(s="[2]")'),
    ('loads two', 'json.loads("1", "2")'),
    ('loads none', 'json.loads()'),
    ('error class', 'isinstance(json.JSONDecodeError("m", "d", 0), ValueError)'),
    ('error made', 'str(json.JSONDecodeError("Boom", "ab\\ncd", 4))'),
    ('error attrs', '[json.JSONDecodeError("Boom", "ab\\ncd", 4).lineno, json.JSONDecodeError("Boom", "ab\\ncd", 4).colno]'),
    ('catch ValueError', 'catch_value_error("[1,")'),
]


def run_python(source):
    out = io.StringIO()
    scope = {}
    with contextlib.redirect_stdout(out):
        exec(source, scope)
        scope['main']([])
    return out.getvalue().splitlines()


def write(name, header, body):
    source = header + body
    lines = run_python(source)
    with open(os.path.join(HERE, name), 'w', encoding='utf-8') as f:
        f.write(source)
        for line in lines:
            f.write('# expect: ' + line if line else '# expect:')
            f.write('\n')


def loads_file(name, title, docs):
    header = ('# ' + title + '\n# Generated by json_cases.py from CPython 3.11: do not edit, run it again.\n'
              'import json\n' + LOADS_DRIVER + '\ndef main(args):\n')
    body = ''.join('    show(' + repr(d) + ')\n' for d in docs)
    write(name, header, body)


def dumps_file():
    header = ('# json.dumps on values and option sets, and the errors of dumps and loads.\n'
              '# Generated by json_cases.py from CPython 3.11: do not edit, run it again.\n'
              'import json\n' + DUMPS_DRIVER +
              '\ndef catch_value_error(doc):\n    try:\n        json.loads(doc)\n'
              '    except ValueError as e:\n        return "ValueError caught: " + str(e)\n'
              '\ndef main(args):\n')
    body = ''
    for v in DUMPS_VALUES:
        for o in DUMPS_OPTIONS:
            if 'sort_keys' in o and 'None:' in v:
                continue  # None < True: Weft's sort compares that pair the other way round
            call = 'json.dumps(' + v + (', ' + o if o else '') + ')'
            body += '    show(' + repr(call) + ', lambda: ' + call + ')\n'
        body += '    show(' + repr('round trip ' + v) + ', lambda: json.loads(json.dumps(' + v + ')))\n'
    for label, call in DUMPS_MORE:
        body += '    show(' + repr(label) + ', lambda: ' + call + ')\n'
    write('json_dumps_cases.weft', header, body)


if __name__ == '__main__':
    loads_file('json_loads_cases.weft', 'json.loads on documents CPython accepts: values, numbers, strings.', LOADS_OK)
    loads_file('json_errors_cases.weft', 'json.loads on documents CPython rejects: every message, line and column.',
               LOADS_ERRORS)
    dumps_file()
