import { describe, expect, it } from "vitest";
import { kioskTarget, normaliseBookingNo, normaliseRatingCode, placeIdFrom } from "./links";

describe("kiosk links", () => {
  it("keeps the kiosk's own pages and the rating page", () => {
    expect(kioskTarget("/kiosk")).toBe("/kiosk");
    expect(kioskTarget("/kiosk/items?q=1")).toBe("/kiosk/items?q=1");
    expect(kioskTarget("/rate/ABCDEFGH23")).toBe("/rate/ABCDEFGH23");
  });

  it("turns the portal's search and guides into the kiosk's", () => {
    expect(kioskTarget("/")).toBe("/kiosk");
    expect(kioskTarget("/items")).toBe("/kiosk/items");
    expect(kioskTarget("/items/05110105000003-110105MZJ-01")).toBe("/kiosk/items/05110105000003-110105MZJ-01");
  });

  it("offers nothing else on a shared machine", () => {
    expect(kioskTarget("/login?next=/")).toBeNull();
    expect(kioskTarget("/my/applications")).toBeNull();
    expect(kioskTarget("/apply/x")).toBeNull();
    expect(kioskTarget("https://example.org/")).toBeNull();
    expect(kioskTarget("//example.org/")).toBeNull();
    expect(kioskTarget("/kioskx")).toBeNull();
  });

  it("reads a rating code typed with spaces, dashes or lower case", () => {
    expect(normaliseRatingCode(" abcd-efgh 23 ")).toBe("ABCDEFGH23");
  });
});

describe("the kiosk's hall and check-in", () => {
  it("takes a place id from ?place=, nothing else", () => {
    expect(placeIdFrom("6f1c2d3e-0000-4000-8000-000000000001")).toBe("6f1c2d3e-0000-4000-8000-000000000001");
    expect(placeIdFrom(" abc ")).toBe("abc");
    expect(placeIdFrom("")).toBeNull();
    expect(placeIdFrom(null)).toBeNull();
    expect(placeIdFrom("../x")).toBeNull();
  });

  it("reads a booking number typed with spaces or lower case", () => {
    expect(normaliseBookingNo(" yy20261203-7kq2 m9xd ")).toBe("YY20261203-7KQ2M9XD");
  });
});
