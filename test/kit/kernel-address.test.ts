// Map keys that are kernel addresses, as 0.23 (decimal) and 0.27 (hex) print them in -f json.
import { expect, test } from "vitest";
import { kernelAddress } from "../../graders/kit/evidence/kernel-address.ts";

test("a kernel address reads the same in decimal and in hex; small integers and words are not addresses", () => {
  expect(kernelAddress("18387454198762895512")).toBe(0xff2d_5c2c_4106_f898n);
  expect(kernelAddress("0xff2d5c2c4106f898")).toBe(0xff2d_5c2c_4106_f898n);
  expect(kernelAddress("4242")).toBeUndefined();
  expect(kernelAddress("0x10")).toBeUndefined();
  expect(kernelAddress("rwsem:W")).toBeUndefined();
  expect(kernelAddress(undefined)).toBeUndefined();
});
