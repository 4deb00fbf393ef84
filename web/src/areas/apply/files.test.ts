import { describe, expect, it } from "vitest";
import { checkFile, formatSize, MAX_UPLOAD_BYTES, uploadType } from "./files";

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const file = (bytes: number[], name: string, type: string) => new File([new Uint8Array(bytes)], name, { type });

describe("upload checks (intake's limits)", () => {
  it("accepts a PDF, a PNG, a JPEG and an OFD", async () => {
    expect(await checkFile(file(PDF, "申请表.pdf", "application/pdf"))).toEqual({ ok: true, type: "application/pdf" });
    expect(await checkFile(file(PNG, "a.png", "image/png"))).toEqual({ ok: true, type: "image/png" });
    expect(await checkFile(file([0xff, 0xd8, 0xff, 0xe0], "a.JPG", "image/jpeg"))).toEqual({ ok: true, type: "image/jpeg" });
    // Browsers give .ofd no type (or a generic one): the extension decides.
    expect(await checkFile(file([0x50, 0x4b, 0x03, 0x04, 0], "证明.ofd", ""))).toEqual({ ok: true, type: "application/ofd" });
  });

  it("refuses empty, too large, other types and content that is not what it claims", async () => {
    expect(await checkFile(file([], "a.pdf", "application/pdf"))).toEqual({ ok: false, problem: "empty" });
    const big = new File([new Uint8Array(MAX_UPLOAD_BYTES + 1)], "big.pdf", { type: "application/pdf" });
    expect(await checkFile(big)).toEqual({ ok: false, problem: "tooLarge" });
    expect(await checkFile(file(PDF, "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))).toEqual({
      ok: false,
      problem: "type",
    });
    expect(await checkFile(file([0x4d, 0x5a, 0x90, 0], "setup.pdf", "application/pdf"))).toEqual({ ok: false, problem: "content" });
    expect(await checkFile(file(PDF, "scan.png", "image/png"))).toEqual({ ok: false, problem: "content" });
  });

  it("exactly the limit is allowed", async () => {
    const bytes = new Uint8Array(MAX_UPLOAD_BYTES);
    bytes.set(PDF);
    expect(await checkFile(new File([bytes], "a.pdf", { type: "application/pdf" }))).toEqual({ ok: true, type: "application/pdf" });
  });

  it("takes the declared type when accepted, else the extension for generic types only", () => {
    expect(uploadType("a.pdf", "application/pdf; charset=binary")).toBe("application/pdf");
    expect(uploadType("a.pdf", "application/octet-stream")).toBe("application/pdf");
    expect(uploadType("a.pdf", "text/plain")).toBeNull();
    expect(uploadType("noextension", "")).toBeNull();
  });

  it("says sizes as people read them", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(300 * 1024)).toBe("300 KB");
    expect(formatSize(5 * 1024 * 1024)).toBe("5 MB");
    expect(formatSize(1.5 * 1024 * 1024)).toBe("1.5 MB");
  });
});
