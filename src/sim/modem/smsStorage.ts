/** The emulator's message memories (SM, ME, SR): numbered slots with a capacity, as AT+CPMS reports them. */

export interface StoredSms {
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  stat: number;
  readonly pdu: string;
  readonly tpduLength: number;
}

export class SmsStorage {
  private readonly memories = new Map<string, Map<number, StoredSms>>();

  constructor(
    private readonly capacity: (memory: string) => number,
    /** First index: 1 on SIM storage, 0 on SIMCom's ME (as `+CMTI: "ME",0` shows). */
    private readonly firstIndex: (memory: string) => number,
  ) {}

  slots(memory: string): Map<number, StoredSms> {
    let slots = this.memories.get(memory);
    if (slots === undefined) {
      slots = new Map();
      this.memories.set(memory, slots);
    }
    return slots;
  }

  used(memory: string): number {
    return this.slots(memory).size;
  }

  total(memory: string): number {
    return this.capacity(memory);
  }

  /** Stores a message; undefined when the memory is full (the network then retries later). */
  store(memory: string, sms: StoredSms): number | undefined {
    const slots = this.slots(memory);
    if (slots.size >= this.capacity(memory)) return undefined;
    let index = this.firstIndex(memory);
    while (slots.has(index)) index++;
    slots.set(index, sms);
    return index;
  }

  get(memory: string, index: number): StoredSms | undefined {
    return this.slots(memory).get(index);
  }

  delete(memory: string, index: number): boolean {
    return this.slots(memory).delete(index);
  }

  /** AT+CMGD delflag semantics (27.005): 1 read, 2 read+sent, 3 read+sent+unsent, 4 all. */
  deleteByFlag(memory: string, flag: number): void {
    const slots = this.slots(memory);
    for (const [index, sms] of [...slots]) {
      if (flag >= 4 || (flag >= 1 && sms.stat === 1) || (flag >= 2 && sms.stat === 3) || (flag >= 3 && sms.stat === 2)) slots.delete(index);
    }
  }

  list(memory: string): Array<[number, StoredSms]> {
    return [...this.slots(memory)].sort((a, b) => a[0] - b[0]);
  }
}
