// A capture file of either format, told apart by its first four bytes: classic pcap
// (PcapReader) or pcapng (PcapngReader). Same chunked interface as both.
import type { PcapRecord } from './pcap.ts';
import { PcapReader } from './pcap.ts';
import { PCAPNG_MAGIC, PcapngReader } from './pcapng.ts';
import type { DecodeIssue } from './types.ts';

export class CaptureReader {
  private reader?: PcapReader | PcapngReader;
  /** The first bytes, until there are four to tell the format by. */
  private start = new Uint8Array(0);

  get issues(): readonly DecodeIssue[] {
    return this.reader?.issues ?? [];
  }

  get readable(): boolean {
    return this.reader?.readable ?? true;
  }

  /** 'pcap' or 'pcapng' once known. */
  get format(): 'pcap' | 'pcapng' | undefined {
    return this.reader ? (this.reader instanceof PcapngReader ? 'pcapng' : 'pcap') : undefined;
  }

  push(chunk: Uint8Array, onRecord: (record: PcapRecord) => void): void {
    if (this.reader) {
      this.reader.push(chunk, onRecord);
      return;
    }
    const start = new Uint8Array(this.start.length + chunk.length);
    start.set(this.start);
    start.set(chunk, this.start.length);
    if (start.length < 4) {
      this.start = start;
      return;
    }
    this.start = new Uint8Array(0);
    this.reader = this.choose(start);
    this.reader.push(start, onRecord);
  }

  end(): void {
    if (!this.reader) {
      this.reader = new PcapReader();
      this.reader.push(this.start, () => {});
    }
    this.reader.end();
  }

  private choose(start: Uint8Array): PcapReader | PcapngReader {
    const first = new DataView(start.buffer, start.byteOffset, 4).getUint32(0, false);
    return first === PCAPNG_MAGIC ? new PcapngReader() : new PcapReader();
  }
}
