import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3ClientFor, startGuardedS3 } from './guarded-s3';

/**
 * Run as a child process (node --expose-gc) by s3-signature-guard.test.ts: streams a 64 MiB presigned upload
 * through the guard and prints, as one JSON line, the upload's status, the stored size and how much the process's
 * memory grew. A fresh process measures the guard alone: inside a jest worker the heaps of earlier test files made
 * each forced collection slow enough to stall the upload, and their garbage blurred the figures.
 */
const BUCKET = 'notice-guard-streaming';
const MiB = 1024 * 1024;

function uploadStream(url: string, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'evidence ');
  let remaining = size;
  const body = new Readable({
    read() {
      if (remaining <= 0) return void this.push(null);
      const length = Math.min(chunk.length, remaining);
      remaining -= length;
      this.push(length === chunk.length ? chunk : chunk.subarray(0, length));
    },
  });
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'PUT', headers: { 'content-length': size } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    body.pipe(request);
  });
}

async function main(): Promise<void> {
  const collectGarbage = globalThis.gc;
  if (!collectGarbage) throw new Error('run with node --expose-gc');
  // Measures the pass-through path (no checksum to spool and verify), which the Object Lock rule would refuse.
  const storage = await startGuardedS3({
    bucket: BUCKET,
    folderPrefix: 'guard-streaming-',
    guard: { objectLockDefaultRetention: false },
  });
  const presigner = s3ClientFor(storage.guard.endpoint);
  const direct = s3ClientFor(storage.s3rver.endpoint);
  const presignPut = (key: string) =>
    getSignedUrl(presigner, new PutObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 300 });
  try {
    // A warm-up upload sizes heap and socket buffers first, so only growth with body size is measured.
    const size = 64 * MiB;
    const warmUp = await uploadStream(await presignPut('warm-up.bin'), 4 * MiB);
    const url = await presignPut('large-evidence.bin');
    collectGarbage();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakArrayBuffers = before.arrayBuffers;
    // Sampled after a collection: without one, socket buffers already read and dropped linger as garbage up to
    // V8's external-memory threshold (~32 MiB even with no proxy at all), which would hide the signal.
    const sampler = setInterval(() => {
      collectGarbage();
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
    }, 100);
    const status = await uploadStream(url, size).finally(() => clearInterval(sampler));
    collectGarbage();
    const after = process.memoryUsage();
    const stored = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'large-evidence.bin' }));
    const result = {
      warmUp,
      status,
      storedBytes: stored.ContentLength,
      growthMiB: {
        peakLiveArrayBuffers: (peakArrayBuffers - before.arrayBuffers) / MiB,
        peakRss: (peakRss - before.rss) / MiB,
        retainedArrayBuffers: (after.arrayBuffers - before.arrayBuffers) / MiB,
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    presigner.destroy();
    direct.destroy();
    await storage.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
