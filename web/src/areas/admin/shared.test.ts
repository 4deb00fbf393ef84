import { describe, expect, it } from "vitest";
import { findNode, flatten, isWorking, monthWeeks, subtreeIds, type CalendarDay, type OrgNode } from "./shared";

const node = (id: string, children: OrgNode[] = []): OrgNode =>
  ({ id, code: id, name: id, kind: "department", level: 4, parent_id: null, uscc: null, created_at: "", updated_at: "", children }) as OrgNode;

describe("the organisation tree", () => {
  const tree = [node("d", [node("s1", [node("c1")]), node("s2")])];
  it("flattens with depths, finds a node and its subtree", () => {
    expect(flatten(tree).map(({ unit, depth }) => `${unit.id}${depth}`)).toEqual(["d0", "s11", "c12", "s21"]);
    expect(findNode(tree, "c1")?.id).toBe("c1");
    expect([...subtreeIds(findNode(tree, "s1")!)].sort()).toEqual(["c1", "s1"]);
  });
});

describe("the year view", () => {
  it("lays a month out in weeks from Monday", () => {
    const weeks = monthWeeks(2027, 0); // 2027-01-01 is a Friday
    expect(weeks[0]).toEqual([null, null, null, null, "2027-01-01", "2027-01-02", "2027-01-03"]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
  });
  it("counts exceptions first, then Monday to Friday", () => {
    const ex = new Map<string, CalendarDay>([
      ["2027-01-01", { day: "2027-01-01", is_working_day: false, source: "import" }],
      ["2027-02-14", { day: "2027-02-14", is_working_day: true, source: "import" }],
    ]);
    expect(isWorking("2027-01-01", ex)).toBe(false);
    expect(isWorking("2027-02-14", ex)).toBe(true);
    expect(isWorking("2027-01-04", ex)).toBe(true);
    expect(isWorking("2027-01-09", ex)).toBe(false);
  });
});
