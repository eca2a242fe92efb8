import { createHash } from 'node:crypto';
import { inclusionProof, leafHash, merkleRoot, verifyInclusion } from '../../lambdas/domain/merkle';

/**
 * The eight leaves of the Certificate Transparency reference implementation's test data (google/certificate-
 * transparency, merkle_tree_test), with the roots of each prefix of them: an independent check that this is
 * RFC 9162's tree to the byte, not merely a self-consistent one.
 */
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i}`));

describe('Merkle tree (RFC 9162 §2.1)', () => {
  it('computes the reference roots of the Certificate Transparency test data', () => {
    REFERENCE_ROOTS.forEach((root, i) => {
      expect(merkleRoot(REFERENCE_LEAVES.slice(0, i + 1).map(bytes))).toBe(root);
    });
  });

  it('hashes the empty tree as SHA-256 of nothing, and a leaf with the 0x00 prefix', () => {
    expect(merkleRoot([])).toBe(createHash('sha256').digest('hex'));
    expect(leafHash(bytes('')).toString('hex')).toBe(createHash('sha256').update(Buffer.of(0)).digest('hex'));
  });

  it('verifies the audit path of every leaf of every tree of 1 to 40 leaves', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = leavesOf(n);
      const root = merkleRoot(leaves);
      for (let index = 0; index < n; index++) {
        const path = inclusionProof(leaves, index);
        expect(verifyInclusion({ leaf: leaves[index] as Uint8Array, index, treeSize: n, path, root })).toBe(true);
      }
    }
  });

  it('refuses a proof with the wrong index, leaf, size, path or root', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = leavesOf(n);
      const root = merkleRoot(leaves);
      for (let index = 0; index < n; index++) {
        const leaf = leaves[index] as Uint8Array;
        const path = inclusionProof(leaves, index);
        const good = { leaf, index, treeSize: n, path, root };
        // Another leaf's bytes at this index.
        expect(verifyInclusion({ ...good, leaf: new TextEncoder().encode(`leaf ${index}x`) })).toBe(false);
        // Another index with this leaf's path (a reordering).
        for (const other of [index - 1, index + 1, n]) {
          expect(verifyInclusion({ ...good, index: other })).toBe(false);
        }
        // Every single path element flipped, removed, or one too many.
        path.forEach((p, i) => {
          const flipped = [...path];
          flipped[i] = `${p.slice(0, 63)}${p.endsWith('0') ? '1' : '0'}`;
          expect(verifyInclusion({ ...good, path: flipped })).toBe(false);
        });
        if (path.length > 0) expect(verifyInclusion({ ...good, path: path.slice(0, -1) })).toBe(false);
        expect(verifyInclusion({ ...good, path: [...path, root] })).toBe(false);
        // Another tree's root.
        expect(verifyInclusion({ ...good, root: merkleRoot(leavesOf(n + 1)) })).toBe(false);
        expect(verifyInclusion({ ...good, index: -1 })).toBe(false);
        expect(verifyInclusion({ ...good, path: ['not hex'] })).toBe(false);
      }
    }
  });

  it('does not let an inner node pass as a leaf (the prefixes differ)', () => {
    const leaves = leavesOf(4);
    const root = merkleRoot(leaves);
    const left = Buffer.concat([leafHash(leaves[0] as Uint8Array), leafHash(leaves[1] as Uint8Array)]);
    const path = inclusionProof(leaves, 0).slice(1);
    expect(verifyInclusion({ leaf: left, index: 0, treeSize: 2, path, root })).toBe(false);
  });

  it('refuses to prove a leaf outside the tree', () => {
    expect(() => inclusionProof(leavesOf(3), 3)).toThrow(RangeError);
  });
});
