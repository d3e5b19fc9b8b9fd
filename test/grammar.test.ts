// The TextMate grammar for .wat/.wast, run through the same engine VS Code uses (vscode-textmate
// with the oniguruma regular-expression library), asserting the exact scopes of each token.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..');
const grammarPath = path.join(root, 'syntaxes', 'wat.tmLanguage.json');

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text: string) => oniguruma.createOnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.wat'
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const loaded = await registry.loadGrammar('source.wat');
  if (!loaded) throw new Error(`could not load ${grammarPath}`);
  grammar = loaded;
});

/** Tokenizes text line by line, carrying the rule stack across lines as the editor does. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const t of result.tokens) {
      tokens.push({ line: line + 1, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** The scopes (without the root scope) of the `occurrence`-th token whose text is exactly `needle`. */
function scopesOf(text: string, needle: string, occurrence = 0): string[] {
  const matches = tokenize(text).filter((t) => t.text === needle);
  if (matches.length <= occurrence) {
    const seen = tokenize(text).map((t) => JSON.stringify(t.text)).join(' ');
    throw new Error(`no token ${JSON.stringify(needle)} (#${occurrence}) in ${JSON.stringify(text)}; tokens: ${seen}`);
  }
  const scopes = matches[occurrence].scopes;
  assert.strictEqual(scopes[0], 'source.wat');
  return scopes.slice(1);
}

function assertScope(text: string, needle: string, expected: string[], occurrence = 0): void {
  assert.deepStrictEqual(scopesOf(text, needle, occurrence), expected, `scopes of ${JSON.stringify(needle)} in ${JSON.stringify(text)}`);
}

describe('grammar: wat.tmLanguage.json', () => {
  it('is the source.wat grammar', () => {
    const raw = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
    assert.strictEqual(raw.scopeName, 'source.wat');
  });

  describe('keywords', () => {
    const fn = '(module (func $f (param $a i32) (result i32) (local $t i64) local.get $a))';
    for (const word of ['module', 'param', 'result', 'local']) {
      it(`${word} is a declaration keyword`, () => assertScope(fn, word, ['keyword.declaration.wat']));
    }
    it('func without a name is a declaration keyword', () =>
      assertScope('(type $t (func (param i32)))', 'func', ['keyword.declaration.wat']));
    it('func followed by its $name: keyword, then the function name', () => {
      assertScope(fn, 'func', ['keyword.declaration.wat']);
      assertScope(fn, '$f', ['entity.name.function.wat']);
    });
    const control = '(block $b (loop $l (if (then nop) (else nop)) br_if $l) end)';
    for (const word of ['block', 'loop', 'if', 'then', 'else', 'end']) {
      it(`${word} is a control keyword`, () => assertScope(control, word, ['keyword.control.wat']));
    }
    it('flat block ... end keeps end a control keyword', () => {
      const flat = 'block $done\n  br $done\nend';
      assertScope(flat, 'block', ['keyword.control.wat']);
      assertScope(flat, 'end', ['keyword.control.wat']);
    });
    it('.wast script commands', () => {
      const script = '(assert_return (invoke "add" (i32.const 1)) (i32.const 2))\n(register "m" $m)\n(assert_trap (invoke "f") "unreachable")';
      assertScope(script, 'assert_return', ['keyword.other.command.wat']);
      assertScope(script, 'invoke', ['keyword.other.command.wat']);
      assertScope(script, 'register', ['keyword.other.command.wat']);
      assertScope(script, 'assert_trap', ['keyword.other.command.wat']);
    });
  });

  describe('instructions', () => {
    const body = '(func (local.get 0) (i32.add (local.get 0) (i32.const 1)) call $g br_if 0 (memory.grow (i32.const 1)) drop i32.load8_u offset=4 align=1 i8x16.shuffle)';
    for (const op of ['i32.add', 'local.get', 'br_if', 'memory.grow', 'drop', 'i32.const', 'i32.load8_u', 'i8x16.shuffle']) {
      it(`${op} is an instruction`, () => assertScope(body, op, ['support.function.instruction.wat']));
    }
    it('call $g: instruction, then the callee function name', () => {
      assertScope(body, 'call', ['support.function.instruction.wat']);
      assertScope(body, '$g', ['entity.name.function.wat']);
    });
    it('call_indirect and return_call are instructions', () => {
      const text = 'call_indirect (type $t) return_call $f';
      assertScope(text, 'call_indirect', ['support.function.instruction.wat']);
      assertScope(text, 'return_call', ['support.function.instruction.wat']);
    });
    it('memory arguments offset=N align=N', () => {
      assertScope(body, 'offset', ['variable.parameter.memarg.wat']);
      assertScope(body, '=', ['keyword.operator.assignment.wat']);
      assertScope(body, '4', ['constant.numeric.integer.decimal.wat']);
      assertScope(body, 'align', ['variable.parameter.memarg.wat']);
    });
    it('a type name inside an instruction is not a type: i32 in i32.add stays one token', () => {
      const tokens = tokenize('i32.add').map((t) => t.text);
      assert.deepStrictEqual(tokens, ['i32.add']);
    });
  });

  describe('types', () => {
    const text = '(param i32 i64 f32 f64) (result funcref externref) (global (mut v128))';
    for (const type of ['i32', 'i64', 'f32', 'f64', 'funcref', 'externref', 'v128']) {
      it(`${type} is a type`, () => assertScope(text, type, ['storage.type.wat']));
    }
    it('mut is a declaration keyword', () => assertScope(text, 'mut', ['keyword.declaration.wat']));
    it('(ref null $t) types', () => {
      const ref = '(param (ref null $t))';
      assertScope(ref, 'ref', ['storage.type.wat']);
      assertScope(ref, 'null', ['storage.type.wat']);
      assertScope(ref, '$t', ['variable.other.wat']);
    });
  });

  describe('$ids', () => {
    it('locals, labels and types are variables', () => {
      const text = '(local.get $x) (br $loop) (type $sig) (global.set $g.count)';
      for (const id of ['$x', '$loop', '$sig', '$g.count']) assertScope(text, id, ['variable.other.wat']);
    });
    it('ids keep every idchar, including dots, slashes and colons', () => {
      const text = "local.get $a.b/c:d'e";
      assertScope(text, "$a.b/c:d'e", ['variable.other.wat']);
    });
    it('an id that looks like an instruction is still an id', () =>
      assertScope('local.get $i32.add', '$i32.add', ['variable.other.wat']));
    it('quoted ids $"..."', () => assertScope('(func $"my func")', '$"my func"', ['entity.name.function.wat']));
  });

  describe('numbers', () => {
    const cases: Array<[string, string]> = [
      ['42', 'constant.numeric.integer.decimal.wat'],
      ['-7', 'constant.numeric.integer.decimal.wat'],
      ['+1_000_000', 'constant.numeric.integer.decimal.wat'],
      ['0xFF', 'constant.numeric.integer.hexadecimal.wat'],
      ['-0x8000_0000', 'constant.numeric.integer.hexadecimal.wat'],
      ['1.5', 'constant.numeric.float.decimal.wat'],
      ['-2.5e-3', 'constant.numeric.float.decimal.wat'],
      ['1e10', 'constant.numeric.float.decimal.wat'],
      ['0x1.8p3', 'constant.numeric.float.hexadecimal.wat'],
      ['-0x1p-149', 'constant.numeric.float.hexadecimal.wat'],
      ['inf', 'constant.numeric.float.special.wat'],
      ['-inf', 'constant.numeric.float.special.wat'],
      ['nan', 'constant.numeric.float.special.wat'],
      ['nan:0x7f_ffff', 'constant.numeric.float.special.wat'],
      ['-nan:0x200000', 'constant.numeric.float.special.wat'],
      ['nan:canonical', 'constant.numeric.float.special.wat'],
    ];
    for (const [number, scope] of cases) {
      it(`${number} is ${scope}`, () => assertScope(`(f32.const ${number})`, number, [scope]));
    }
    it('a number glued to letters is not a number', () => {
      const scopes = tokenize('(i32.const 12abc)').filter((t) => t.text.includes('12')).map((t) => t.scopes.slice(1));
      assert.deepStrictEqual(scopes, [[]]);
    });
  });

  describe('strings', () => {
    const text = '(data (i32.const 0) "a\\n\\t\\"b\\\\\\00\\ff\\u{1F600}\\q")';
    it('the string body is string.quoted.double', () =>
      assertScope(text, 'a', ['string.quoted.double.wat']));
    it('quotes are punctuation', () => {
      assertScope(text, '"', ['string.quoted.double.wat', 'punctuation.definition.string.begin.wat'], 0);
      assertScope(text, '"', ['string.quoted.double.wat', 'punctuation.definition.string.end.wat'], 1);
    });
    for (const escape of ['\\n', '\\t', '\\"', '\\\\', '\\00', '\\ff', '\\u{1F600}']) {
      it(`escape ${escape}`, () => assertScope(text, escape, ['string.quoted.double.wat', 'constant.character.escape.wat']));
    }
    it('an unknown escape is marked invalid', () =>
      assertScope(text, '\\q', ['string.quoted.double.wat', 'invalid.illegal.escape.wat']));
    it('keywords inside strings are string text', () =>
      assertScope('(export "module func")', 'module func', ['string.quoted.double.wat']));
  });

  describe('comments', () => {
    it(';; line comment runs to the end of the line', () => {
      const text = 'i32.add ;; add (module) $x\ni32.sub';
      assertScope(text, ';;', ['comment.line.double-semicolon.wat', 'punctuation.definition.comment.wat']);
      assertScope(text, ' add (module) $x', ['comment.line.double-semicolon.wat']);
      assertScope(text, 'i32.sub', ['support.function.instruction.wat']);
    });
    it('a line comment right after a token', () => {
      assertScope('i32.add;;x', 'i32.add', ['support.function.instruction.wat']);
      assertScope('i32.add;;x', 'x', ['comment.line.double-semicolon.wat']);
    });
    it('nested block comments stay comment to the outer end', () => {
      const text = '(; a (; b ;) c ;) i32.add';
      const tokens = tokenize(text);
      const comment = tokens.filter((t) => t.scopes.includes('comment.block.wat')).map((t) => t.text).join('');
      assert.strictEqual(comment, '(; a (; b ;) c ;)');
      assertScope(text, ' c ', ['comment.block.wat']);
      assertScope(text, 'i32.add', ['support.function.instruction.wat']);
    });
    it('block comment punctuation at both nesting levels', () => {
      const text = '(; a (; b ;) c ;)';
      assertScope(text, '(;', ['comment.block.wat', 'punctuation.definition.comment.begin.wat'], 0);
      assertScope(text, '(;', ['comment.block.wat', 'comment.block.wat', 'punctuation.definition.comment.begin.wat'], 1);
      assertScope(text, ';)', ['comment.block.wat', 'comment.block.wat', 'punctuation.definition.comment.end.wat'], 0);
      assertScope(text, ';)', ['comment.block.wat', 'punctuation.definition.comment.end.wat'], 1);
    });
    it('block comments span lines, with nesting', () => {
      const text = '(module (;\n  (func $hidden) (; inner\n  ;) still\n;) (func $shown))';
      const byLine = tokenize(text);
      const hidden = byLine.find((t) => t.text.includes('$hidden'));
      assert.ok(hidden && hidden.scopes.includes('comment.block.wat'), 'line 2 is inside the comment');
      const still = byLine.find((t) => t.text.includes('still'));
      assert.ok(still && still.scopes.includes('comment.block.wat'), 'line 3 is still inside the outer comment');
      assertScope(text, '$shown', ['entity.name.function.wat']);
    });
  });

  describe('parentheses and annotations', () => {
    it('parens are punctuation', () => {
      assertScope('(module)', '(', ['punctuation.section.parens.begin.wat']);
      assertScope('(module)', ')', ['punctuation.section.parens.end.wat']);
    });
    it('(@name ...) annotations', () =>
      assertScope('(@custom "x")', '@custom', ['meta.annotation.wat', 'storage.modifier.annotation.wat']));
  });

  it('a whole function gets every token a scope, with no unscoped words', () => {
    const text = [
      '(module $math',
      '  (func $fib (export "fib") (param $n i32) (result i32)',
      '    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))',
      '      (then (local.get $n))',
      '      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))',
      '                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))',
    ].join('\n');
    const unscoped = tokenize(text).filter((t) => t.text.trim() !== '' && t.scopes.length === 1);
    assert.deepStrictEqual(unscoped, []);
  });
});
