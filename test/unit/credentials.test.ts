import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskCredentials } from '../../shared/credentials.js';
import { crashLogPath, readCrashLog, recordCrash } from '../../electron/station/crash-log.js';
import { log, recentProblems } from '../../electron/station/log.js';

describe('masking credentials in text', () => {
  it.each([
    // Every scheme ffmpeg opens a camera with.
    ['rtsp://admin:s3cret@192.168.1.64:554/Streaming/Channels/101', 'rtsp://admin:***@192.168.1.64:554/Streaming/Channels/101'],
    ['rtsps://admin:s3cret@cam.lan/live', 'rtsps://admin:***@cam.lan/live'],
    ['http://admin:s3cret@cam.lan:8080/video.ts', 'http://admin:***@cam.lan:8080/video.ts'],
    ['https://admin:s3cret@cam.lan/video.ts', 'https://admin:***@cam.lan/video.ts'],
    ['tcp://admin:s3cret@10.0.0.5:5000', 'tcp://admin:***@10.0.0.5:5000'],
    ['rtmp://live:s3cret@stream.example/app/key', 'rtmp://live:***@stream.example/app/key'],
    // Percent-encoded, and typed raw with the characters that break naive patterns.
    ['rtsp://user:s3cr%40t@127.0.0.1:554/x', 'rtsp://user:***@127.0.0.1:554/x'],
    ['rtsp://user:s3cr@t@127.0.0.1/x', 'rtsp://user:***@127.0.0.1/x'],
    ['rtsp://user:pa:ss@w:rd@127.0.0.1/x', 'rtsp://user:***@127.0.0.1/x'],
    ['rtsp://user:it\'s"q@127.0.0.1/x', 'rtsp://user:***@127.0.0.1/x'],
    // A lone user part may be a token.
    ['rtsp://0123456789abcdef@cam.lan/x', 'rtsp://***@cam.lan/x'],
    // Logins in the query, as cheap cameras take them.
    ['http://cam.lan/videostream.cgi?user=admin&pwd=s3cret&res=1', 'http://cam.lan/videostream.cgi?user=admin&pwd=***&res=1'],
    ['http://cam.lan/mjpg?password=s3cret', 'http://cam.lan/mjpg?password=***'],
    ['GET / HTTP/1.1 Authorization: Basic YWRtaW46czNjcmV0', 'GET / HTTP/1.1 Authorization: Basic ***'],
  ])('%s', (text, masked) => {
    expect(maskCredentials(text)).toBe(masked);
    expect(maskCredentials(masked)).toBe(masked);
  });

  it('masks every URL in an ffmpeg error line, and leaves text without credentials alone', () => {
    const line = 'ffmpeg exited with code 1: rtsp://user:s3cr%40t@127.0.0.1:9/x: Connection refused: rtsp://user:s3cr%40t@127.0.0.1:9/x: Connection refused';
    expect(maskCredentials(line)).toBe('ffmpeg exited with code 1: rtsp://user:***@127.0.0.1:9/x: Connection refused: rtsp://user:***@127.0.0.1:9/x: Connection refused');
    const two = 'from rtsp://a:s3cret1@h1/x to http://b:s3cret2@h2/y';
    expect(maskCredentials(two)).toBe('from rtsp://a:***@h1/x to http://b:***@h2/y');
    for (const plain of ['[tcp @ 0x17a826c0] Connection to tcp://127.0.0.1:9?timeout=5000000 failed: Connection refused', 'mail me at ops@example.com', 'rtsp://cam.lan/x@2', 'Basic settings saved', 'demo:640x360@15']) {
      expect(maskCredentials(plain)).toBe(plain);
    }
  });
});

describe('where the station writes text', () => {
  it('masks the log line and every field, and the problems the health page keeps', () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      log.warn('ffmpeg stopped: rtsp://user:s3cr%40t@127.0.0.1/x: Connection refused', {
        reason: 'rtsp://user:s3cr"et@127.0.0.1/x',
        stderr: ['rtsp://user:s3cr@t@127.0.0.1/x: Connection refused'],
        nested: { url: 'http://admin:s3cret@cam.lan/live.ts' },
      });
    } finally {
      process.stderr.write = original;
    }
    const problem = recentProblems()[0]!;
    expect(problem.message).toMatch(/^ffmpeg stopped: rtsp:\/\/user:\*\*\*@127\.0\.0\.1\/x: Connection refused/);
    expect(problem.message).not.toContain('s3c');
    expect(written.join('')).not.toContain('s3c');
  });

  it('masks the crash log: message, stack and details', () => {
    const dataDir = mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-crash-'));
    recordCrash(dataDir, 'station', new Error('could not open rtsp://user:s3cr%40t@127.0.0.1/x'), { camera: 'rtsp://user:s3cr%40t@127.0.0.1/x' });
    expect(readFileSync(crashLogPath(dataDir), 'latin1')).not.toContain('s3cr');
    const [entry] = readCrashLog(dataDir);
    expect(entry!.message).toBe('Error: could not open rtsp://user:***@127.0.0.1/x');
    expect(entry!.stack).toMatch(/^Error: could not open rtsp:\/\/user:\*\*\*@127\.0\.0\.1\/x\n/);
    expect(entry!.details).toEqual({ camera: 'rtsp://user:***@127.0.0.1/x' });
  });
});
