// A kernel address as bpftrace prints it in a map key: decimal in -f json up to 0.23, 0x-hex from
// 0.27 on and in text output. Kernel addresses (slab, direct map) have the top byte 0xff, which
// tells them from small integer keys.

const KERNEL_SPACE = 0xff00_0000_0000_0000n;

/** The address a key part stands for, when it is a kernel address. */
export function kernelAddress(part: string | undefined): bigint | undefined {
  if (part === undefined || !/^(?:\d+|0x[0-9a-f]+)$/i.test(part)) return undefined;
  const value = BigInt(part);
  return value >= KERNEL_SPACE ? value : undefined;
}
