import { describe, expect, it } from "vitest";
import {
  actionsFor,
  elementPath,
  elementsFromForm,
  formNameOfProblemField,
  formPaths,
  placeFindings,
  sectionCounts,
  sectionOf,
  sortFindings,
  type Elements,
  type Finding,
} from "./model";

const base = {
  name: "老年人优待证办理",
  item_type: "20",
  level: 4,
  implementing_unit: { code: "110105-MZJ", name: "区民政局" },
  demo: true,
} as unknown as Elements;

const finding = (element: string, severity: Finding["severity"] = "error"): Finding => ({
  element,
  severity,
  check: `${element}.x`,
  message: element,
});

describe("element paths", () => {
  it("writes form names the way the quality checker names elements", () => {
    expect(elementPath(["materials", 2, "source"])).toBe("materials[2].source");
    expect(elementPath(["fees", "items", 0, "basis"])).toBe("fees.items[0].basis");
    expect(elementPath(["enquiry_phone"])).toBe("enquiry_phone");
  });

  it("reads a draft's problem fields as form names", () => {
    expect(formNameOfProblemField("body.elements.materials.0.name")).toEqual(["materials", 0, "name"]);
    expect(formNameOfProblemField("body.basic_code")).toBeNull();
  });

  it("knows the fields of every list entry the form shows", () => {
    const paths = formPaths({ materials: [{}, {}], fees: { items: [{}] } });
    expect(paths.has("materials[1].source")).toBe(true);
    expect(paths.has("materials[2].source")).toBe(false);
    expect(paths.has("fees.items[0].basis")).toBe(true);
  });
});

describe("placing findings", () => {
  it("puts a finding beside its field, else at the top of its section", () => {
    const fields = formPaths({ materials: [{}] });
    const { byField, bySection } = placeFindings(
      [finding("materials[0].source"), finding("phones"), finding("code"), finding("materials[3].name")],
      fields,
    );
    expect(byField.get("materials[0].source")).toHaveLength(1);
    expect(bySection.get("where")?.map((f) => f.element)).toEqual(["phones"]);
    expect(bySection.get("basic")?.map((f) => f.element)).toEqual(["code"]);
    expect(bySection.get("materials")?.map((f) => f.element)).toEqual(["materials[3].name"]);
  });

  it("counts errors and findings per section, errors listed first", () => {
    const all = [finding("hours", "warning"), finding("enquiry_phone"), finding("fees.items[0].basis", "info")];
    const counts = sectionCounts(all);
    expect(counts.get("where")).toEqual({ errors: 1, all: 2 });
    expect(counts.get("fees")).toEqual({ errors: 0, all: 1 });
    expect(sortFindings(all).map((f) => f.severity)).toEqual(["error", "warning", "info"]);
    expect(sectionOf("legal_basis[0].text")).toBe("legal");
  });
});

describe("the element document saved", () => {
  it("keeps what the form does not show and empties blank texts and half time limits", () => {
    const saved = elementsFromForm(base, {
      hours: "  ",
      legal_limit: { value: 20, unit: "working_day", note: "" },
      promised_limit: { value: 5 },
      place: { street: "", room: undefined },
      process: [{ step: "accept", time_limit: { value: null, unit: "working_day" } }],
      keywords: ["优待证", ""],
    }) as unknown as Record<string, unknown>;
    expect(saved.demo).toBe(true);
    expect(saved.hours).toBeNull();
    expect(saved.legal_limit).toEqual({ value: 20, unit: "working_day", note: null });
    expect(saved.promised_limit).toBeNull();
    expect(saved.place).toBeNull();
    expect((saved.process as { time_limit: unknown }[])[0]!.time_limit).toBeNull();
    expect(saved.keywords).toEqual(["优待证"]);
    expect(saved.fees).toEqual({ charged: false, items: [] });
  });
});

describe("what a version lets one do", () => {
  const opts = { canPublish: false, isCurrent: false, itemRetired: false, newestIsOpen: false };
  it("edits and submits drafts only", () => {
    expect(actionsFor("draft", opts)).toMatchObject({ edit: true, submit: true, publish: false });
    expect(actionsFor("in_review", opts)).toMatchObject({ edit: false, returnToDraft: true, publish: false });
  });
  it("publishes a version in review only for someone who is not its author", () => {
    expect(actionsFor("in_review", { ...opts, canPublish: true }).publish).toBe(true);
  });
  it("starts a new version from the one in force unless one is open", () => {
    expect(actionsFor("published", { ...opts, isCurrent: true }).newVersion).toBe(true);
    expect(actionsFor("published", { ...opts, isCurrent: true, newestIsOpen: true }).newVersion).toBe(false);
    expect(actionsFor("published", { ...opts, isCurrent: true, itemRetired: true }).retire).toBe(false);
  });
});
