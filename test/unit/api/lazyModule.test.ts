import { strict as assert } from 'node:assert';
import { lazyModule } from '../../../src/api/lazyModule';

describe('lazyModule: a module loaded on first use', () => {
  it('loads nothing until asked, then once, whatever the number of calls', () => {
    let loads = 0;
    const module = lazyModule(() => ({ n: ++loads }));
    assert.equal(loads, 0);
    const first = module();
    assert.equal(module(), first);
    assert.equal(module(), first);
    assert.equal(loads, 1);
  });

  it('a load that failed is tried again on the next call, and its error reaches the caller', () => {
    let attempts = 0;
    const module = lazyModule(() => {
      if (++attempts === 1) throw new Error('bundle missing');
      return 'loaded';
    });
    assert.throws(() => module(), /bundle missing/);
    assert.equal(module(), 'loaded');
    assert.equal(module(), 'loaded');
    assert.equal(attempts, 2);
  });

  it('keeps a module whose value is falsy (loaded once, not on every call)', () => {
    let loads = 0;
    const module = lazyModule(() => (loads++, undefined));
    module();
    module();
    assert.equal(loads, 1);
  });
});
