import { describe, expect, it } from "vitest";
import { categoryAttributes, photoProblem, progressIndex, ticketBody, type Category } from "./model";

const noise: Category = {
  code: "noise",
  name: "噪声扰民",
  description: "",
  group_name: "城市管理",
  time_limit_rule: null,
  attributes: [
    { variable: true, code: "noise_period", datatype: "singlevaluelist", required: true, datatype_description: "", order: 1, description: "时段", values: [] },
  ],
};

describe("a 12345 request from the portal", () => {
  it("sends the community (which implies its street), rounded coordinates and the category's attributes only", () => {
    const body = ticketBody(
      {
        request_type: "complaint",
        category_code: "noise",
        attributes: { noise_period: "night", stale: "x" },
        title: " 夜间施工 ",
        description: "每晚23点后仍施工。",
        street_code: "110105001",
        community_code: "110105001001",
        address: " ",
        lat: 39.92345678,
        lon: 116.4412345,
        caller_name: "张三",
        caller_phone: "13810000003",
      },
      "web",
      noise,
      [],
    );
    expect(body).toEqual({
      request_type: "complaint",
      channel: "web",
      category_code: "noise",
      attributes: { noise_period: "night" },
      title: "夜间施工",
      description: "每晚23点后仍施工。",
      community_code: "110105001001",
      lat: 39.923457,
      lon: 116.441235,
      urgent: false,
      complex: false,
      auto_dispatch: true,
      anonymous: false,
      caller_name: "张三",
      caller_phone: "13810000003",
      attachments: [],
    });
  });

  it("keeps an anonymous caller's name and phone out, and the street when no community is chosen", () => {
    const body = ticketBody(
      { request_type: "suggestion", title: "t", description: "d", street_code: "110105002", anonymous: true, caller_name: "李四", caller_phone: "1" },
      "mobile",
      undefined,
      [],
    );
    expect(body.caller_name).toBeUndefined();
    expect(body.caller_phone).toBeUndefined();
    expect(body.street_code).toBe("110105002");
    expect(body.attributes).toEqual({});
  });

  it("drops empty attribute values", () => {
    expect(categoryAttributes(noise, { noise_period: "" })).toEqual({});
    expect(categoryAttributes(undefined, { noise_period: "night" })).toEqual({});
  });

  it("places a ticket on the steps a citizen sees", () => {
    expect(["registered", "returned", "in_progress", "called_back", "closed"].map((s) => progressIndex(s as "closed"))).toEqual([0, 1, 2, 3, 4]);
  });

  it("accepts JPEG and PNG photos up to 5 MB", () => {
    expect(photoProblem({ type: "image/jpeg", size: 1000 })).toBeNull();
    expect(photoProblem({ type: "image/gif", size: 1000 })).toBe("type");
    expect(photoProblem({ type: "image/png", size: 6 * 1024 * 1024 })).toBe("size");
  });
});
