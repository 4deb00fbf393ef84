import { describe, expect, it } from "vitest";
import { byUrgency, colourCounts, DECIDED_TABS, decisionNotices, deliveryBody, extensionLeft, inboxCases, isDecidedTab, type Application, type BoardCase } from "./model";

const c = (no: string, colour: BoardCase["colour"], due: string | null, status: BoardCase["status"] = "under_review"): BoardCase => ({
  id: no,
  application_no: no,
  item_name: "事项",
  owner_unit_code: "110105-MZJ",
  status,
  due_on: due,
  remaining_working_days: null,
  colour,
  paused: status === "suspended",
  overdue_flagged: colour === "red",
  provisional_deadline: false,
});

describe("the approver's inbox", () => {
  const cases = [
    c("A", "green", "2026-12-20"),
    c("B", "red", "2026-11-30"),
    c("C", "yellow", "2026-12-05", "suspended"),
    c("D", "green", "2026-12-10", "approved"),
    c("E", "green", null),
    c("F", "red", "2026-11-20", "accepted"),
  ];
  it("puts red first, then yellow, then green, each by due date", () => {
    expect([...cases].sort(byUrgency).map((x) => x.id)).toEqual(["F", "B", "C", "D", "A", "E"]);
  });
  it("shows under review and suspended cases to decide, approved and refused to complete", () => {
    expect(inboxCases(cases, "deciding").map((x) => x.id)).toEqual(["B", "C", "A", "E"]);
    expect(inboxCases(cases, "completing").map((x) => x.id)).toEqual(["D"]);
    expect(inboxCases(cases, "all")).toHaveLength(6);
  });
  it("counts each colour", () => {
    expect(colourCounts(cases)).toEqual({ red: 2, yellow: 1, green: 3 });
  });
});

describe("the case page", () => {
  it("lists the decision documents before the other notices, newest first", () => {
    const n = (id: string, kind: "acceptance" | "approval" | "refusal", at: string) => ({ id, kind, number: id, issued_at: at, issued_by: "s", html_url: "" });
    const { decisions, others } = decisionNotices([n("1", "acceptance", "2026-12-01"), n("2", "approval", "2026-12-03"), n("3", "refusal", "2026-12-02")]);
    expect(decisions.map((x) => x.id)).toEqual(["2", "3"]);
    expect(others.map((x) => x.id)).toEqual(["1"]);
  });
  it("never offers a negative extension", () => {
    expect(extensionLeft({ extension_days: 4 } as Application)).toBe(6);
    expect(extensionLeft({ extension_days: 12 } as Application)).toBe(0);
  });
});

describe("the decided tabs and the delivery", () => {
  it("lists decided cases by status, outside the supervision board", () => {
    expect(isDecidedTab("completing") && DECIDED_TABS.completing).toEqual(["approved", "refused"]);
    expect(isDecidedTab("delivering") && DECIDED_TABS.delivering).toEqual(["completed"]);
    expect(isDecidedTab("deciding")).toBe(false);
    expect(inboxCases([c("A", "green", null)], "delivering")).toEqual([]);
  });
  it("sends only the chosen mode's fields, trimmed, and leaves out blank ones", () => {
    const values = { signed_by: "王芳", carrier: " EMS ", tracking_no: "1234", address: "", locker: "A-01" };
    expect(deliveryBody("post", values)).toEqual({ mode: "post", carrier: "EMS", tracking_no: "1234" });
    expect(deliveryBody("window", values)).toEqual({ mode: "window", signed_by: "王芳" });
    expect(deliveryBody("locker", { locker: "  " })).toEqual({ mode: "locker" });
  });
});
