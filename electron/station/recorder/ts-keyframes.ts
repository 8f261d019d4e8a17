/**
 * The keyframes of an MPEG-TS stream, for the live preview: the preview ffmpeg decodes keyframes
 * only (`-skip_frame nokey`), so the other pictures it was fed were read, piped, demuxed and parsed
 * for nothing. `KeyframePackets` passes on the tables (PAT, PMT, SDT) and, of each elementary
 * stream, only the PES units that start with the random-access flag (ffmpeg's muxer sets it on every
 * keyframe packet), plus the first packet of the unit after each: the demuxer and the H.264 parser
 * hand a picture on only when the next one begins. What goes to the preview ffmpeg shrinks to the
 * keyframes (here about a third of a 720p demo stream; more of a still bench, whose other pictures
 * are small), and it wakes once a second instead of at every read.
 *
 * The bytes are copies: the segment files are never touched. Continuity counters are renumbered per
 * PID on the way (dropped packets and each segment's fresh muxer would otherwise read as damage).
 * A stream whose keyframes carry no random-access flag (PASS_THROUGH_AFTER units without one) is
 * passed on whole from then on: the preview ffmpeg still finds its keyframes, at the old cost.
 */

export const TS_PACKET = 188;
const SYNC = 0x47;
/** PIDs below this are tables (PAT 0, CAT 1, SDT/BAT 0x11, …), never video. */
const FIRST_ES_PID = 0x20;
const NULL_PID = 0x1fff;
/** PES units of one stream without a random-access flag before that stream is passed on whole (4 s at 30 fps). */
export const PASS_THROUGH_AFTER = 120;

interface StreamState {
  /** The unit being read is passed on. */
  keep: boolean;
  /** Units seen since the last one with the random-access flag. */
  sinceKey: number;
  passAll: boolean;
}

export class KeyframePackets {
  private rest: Buffer = Buffer.alloc(0);
  private readonly pmtPids = new Set<number>();
  private readonly streams = new Map<number, StreamState>();
  private readonly counters = new Map<number, number>();

  /** The packets of `chunk` (and of what was left over from the last one) that the preview needs. */
  push(chunk: Buffer): Buffer {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let p = 0;
    while (p + TS_PACKET <= data.length) {
      if (data[p] !== SYNC) {
        // Not at a packet (a segment file cut mid-packet, then the tail moved on): resynchronise.
        p = resync(data, p + 1);
        continue;
      }
      const packet = data.subarray(p, p + TS_PACKET);
      p += TS_PACKET;
      if (this.wanted(packet)) out.push(this.renumbered(packet));
    }
    this.rest = Buffer.from(data.subarray(p));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  private wanted(packet: Buffer): boolean {
    const pid = ((packet[1]! & 0x1f) << 8) | packet[2]!;
    if (pid === NULL_PID) return false;
    const start = (packet[1]! & 0x40) !== 0;
    if (pid === 0) {
      if (start) this.readPat(packet);
      return true;
    }
    if (pid < FIRST_ES_PID || this.pmtPids.has(pid)) return true;
    let s = this.streams.get(pid);
    if (!s) {
      s = { keep: false, sinceKey: 0, passAll: false };
      this.streams.set(pid, s);
    }
    if (s.passAll) return true;
    if (!start) return s.keep;
    const closesKeyframe = s.keep;
    s.keep = randomAccess(packet);
    s.sinceKey = s.keep ? 0 : s.sinceKey + 1;
    if (s.sinceKey >= PASS_THROUGH_AFTER) s.passAll = true;
    return s.keep || closesKeyframe || s.passAll;
  }

  /** The PMT PIDs a PAT section names (program 0 is the network PID, not a PMT). */
  private readPat(packet: Buffer): void {
    let p = payloadStart(packet);
    if (p < 0 || p >= TS_PACKET) return;
    p += 1 + packet[p]!; // pointer_field
    if (p + 8 > TS_PACKET || packet[p] !== 0x00) return;
    const sectionLength = ((packet[p + 1]! & 0x0f) << 8) | packet[p + 2]!;
    const end = Math.min(p + 3 + sectionLength - 4, TS_PACKET); // before the CRC
    for (let q = p + 8; q + 4 <= end; q += 4) {
      const program = packet.readUInt16BE(q);
      if (program !== 0) this.pmtPids.add(packet.readUInt16BE(q + 2) & 0x1fff);
    }
  }

  /** A copy with the PID's next continuity counter (counted only on packets that carry a payload). */
  private renumbered(packet: Buffer): Buffer {
    const copy = Buffer.from(packet);
    const pid = ((copy[1]! & 0x1f) << 8) | copy[2]!;
    const hasPayload = (copy[3]! & 0x10) !== 0;
    const last = this.counters.get(pid);
    const cc = last === undefined ? copy[3]! & 0x0f : hasPayload ? (last + 1) & 0x0f : last;
    this.counters.set(pid, cc);
    copy[3] = (copy[3]! & 0xf0) | cc;
    return copy;
  }
}

/** Offset of the payload in a packet, or -1 when it has none. */
function payloadStart(packet: Buffer): number {
  const control = (packet[3]! >> 4) & 0x3;
  if ((control & 0x1) === 0) return -1;
  return control & 0x2 ? 5 + packet[4]! : 4;
}

/** The adaptation field's random_access_indicator: a keyframe starts in this packet. */
function randomAccess(packet: Buffer): boolean {
  const control = (packet[3]! >> 4) & 0x3;
  return (control & 0x2) !== 0 && packet[4]! > 0 && (packet[5]! & 0x40) !== 0;
}

/** The next offset from `from` where a sync byte is followed by another one a packet later (or the data ends). */
function resync(data: Buffer, from: number): number {
  for (let p = data.indexOf(SYNC, from); p >= 0; p = data.indexOf(SYNC, p + 1)) {
    if (p + TS_PACKET >= data.length || data[p + TS_PACKET] === SYNC) return p;
  }
  return data.length;
}
