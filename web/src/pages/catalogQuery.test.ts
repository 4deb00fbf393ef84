import { describe, expect, it } from "vitest";
import { queryFromUrl } from "./catalogQuery";

describe("catalogue search from the URL", () => {
  it("keeps the API's filters and turns the page into an offset", () => {
    const q = queryFromUrl(new URLSearchParams("q=%E4%BD%8E%E4%BF%9D&online_depth=III&zero_visit=true&item_type=20&unit=110105-MZJ&page=3"));
    expect(q).toEqual({ q: "低保", online_depth: "III", zero_visit: true, item_type: "20", unit: "110105-MZJ", limit: 10, offset: 20 });
  });

  it("drops values the API would refuse instead of sending them", () => {
    expect(queryFromUrl(new URLSearchParams("online_depth=V&item_type=99&page=-2&zero_visit=yes"))).toEqual({ limit: 10, offset: 0 });
  });
});
