import fc from 'fast-check';
import { inclusionProof, merkleRoot, verifyInclusion } from '../../lambdas/domain/merkle';

/** The RFC 6962 / RFC 9162 test vectors used by the Certificate Transparency implementations (leaves in hex). */
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => Buffer.from(hex, 'hex'),
);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree (RFC 9162 §2.1)', () => {
  it('computes the published root of every prefix of the test vector', () => {
    for (const [i, root] of ROOTS.entries()) expect(merkleRoot(LEAVES.slice(0, i + 1))).toBe(root);
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the published audit path for leaf 0 of 8', () => {
    expect(inclusionProof(LEAVES, 0)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('verifies every leaf of trees of any size, and refuses a proof for another leaf, an index outside the tree or another root', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 40 }), fc.nat(), (leaves, n) => {
        const index = n % leaves.length;
        const root = merkleRoot(leaves);
        const path = inclusionProof(leaves, index);
        const leaf = leaves[index] as Uint8Array;
        expect(verifyInclusion({ leaf, index, treeSize: leaves.length, path, root })).toBe(true);
        const other = Uint8Array.from([...leaf, 1]);
        expect(verifyInclusion({ leaf: other, index, treeSize: leaves.length, path, root })).toBe(false);
        expect(verifyInclusion({ leaf, index: index + leaves.length, treeSize: leaves.length, path, root })).toBe(
          false,
        );
        expect(verifyInclusion({ leaf, index, treeSize: leaves.length, path, root: '0'.repeat(64) })).toBe(false);
      }),
    );
  });
});
