import { decodeReceiptClaims, dueBasisInWords, receiptFileName } from '../../web/src/components/receipt/receipt-claims';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the receipt page reading a receipt', () => {
  it('decodes what the receipt JWS states, including the due time it was judged against', () => {
    const claims = {
      typ: 'notice-response-receipt',
      receiptNumber: 'NRP-2026-AAAA-BBBB-CC',
      filedAt: '2026-12-01T05:00:00.000Z',
      dueAt: '2026-12-02T06:00:00.000Z',
      dueBasis: { kind: 'extension', setAt: '2026-11-30T00:00:00.000Z', eventSeq: 7, extensionId: 'ext_1' },
      onTime: true,
    };
    const jws = `${b64url({ alg: 'ES256', kid: 'k1' })}.${b64url(claims)}.c2ln`;
    expect(decodeReceiptClaims(jws)).toEqual(claims);
    expect(dueBasisInWords(decodeReceiptClaims(jws)?.dueBasis)).toBe(
      "An extension granted (ext_1, event 7 in the notice's history).",
    );
  });

  it('refuses anything that is not a receipt', () => {
    expect(decodeReceiptClaims('not.a.jws!')).toBeUndefined();
    expect(decodeReceiptClaims(`x.${b64url({ typ: 'other' })}.y`)).toBeUndefined();
    expect(decodeReceiptClaims('only-one-part')).toBeUndefined();
  });

  it('names the download after the receipt number', () => {
    expect(receiptFileName('NRP-2026-AAAA-BBBB-CC')).toBe('receipt-NRP-2026-AAAA-BBBB-CC.jws');
  });
});
