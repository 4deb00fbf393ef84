import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./format";

describe("dates and times", () => {
  it("shows instants in the district's time (UTC+8), across midnight and the year", () => {
    expect(formatDateTime("2026-12-03T06:03:58.968734Z")).toBe("2026-12-03 14:03");
    expect(formatDateTime("2026-12-31T16:30:00Z")).toBe("2027-01-01 00:30");
    expect(formatDateTime(null)).toBe("—");
  });
  it("keeps calendar dates as the API gives them", () => {
    expect(formatDate("2026-12-17")).toBe("2026-12-17");
    expect(formatDate(undefined)).toBe("—");
  });
});
