import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert, Breadcrumb, Button, Checkbox, Form, Grid, Input, InputNumber, Radio, Select, Upload } from "antd";
import type { UploadFile } from "antd";
import { AimOutlined, CameraOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import {
  PHOTO_MAX_COUNT,
  PHOTO_TYPES,
  REQUEST_TYPES,
  photoProblem,
  ticketBody,
  type Attachment,
  type Attribute,
  type Category,
  type TicketValues,
} from "./model";
import { chosen } from "./rules";
import "./hotline.css";
import { ProblemAlert } from "../../components/ProblemAlert";

const FIELDS = [
  "request_type",
  "category_code",
  "title",
  "description",
  "street_code",
  "community_code",
  "address",
  "lat",
  "lon",
  "caller_name",
  "caller_phone",
  "anonymous",
  "attachments",
];

/** Store a photo in the platform's file store and describe it for the ticket. */
async function storePhoto(file: File): Promise<Attachment> {
  const stored = await unwrap(
    api.POST("/api/intake/v1/files", {
      // The generated type names the part as a string; the body actually sent is the multipart form.
      body: { file: file.name },
      bodySerializer: () => {
        const form = new FormData();
        form.append("file", file, file.name);
        return form;
      },
    }),
  );
  return {
    file_name: stored.filename.slice(0, 200),
    media_type: stored.content_type,
    size_bytes: stored.size,
    url: `${window.location.origin}/api/intake/v1/files/${encodeURIComponent(stored.id)}`,
    sha256: stored.sha256,
  };
}

/** A photo shown before sending, as a data: URL (the page's CSP allows data: images, not blob:). */
function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function AttributeField({ attr }: { attr: Attribute }) {
  const { t } = useTranslation("hotline");
  const rules = attr.required ? [{ required: true, message: t("form.attributeRequired", { name: attr.description }) }] : [];
  const name = ["attributes", attr.code];
  if (attr.datatype === "singlevaluelist" || attr.datatype === "multivaluelist") {
    // A validator, not `required`: antd would put aria-required on the select's <div>.
    return (
      <Form.Item name={name} label={attr.description} rules={attr.required ? [chosen(t("form.attributeRequired", { name: attr.description }))] : []}>
        <Select
          mode={attr.datatype === "multivaluelist" ? "multiple" : undefined}
          allowClear
          placeholder={t("form.choose")}
          options={attr.values.map((v) => ({ value: v.key, label: v.name }))}
        />
      </Form.Item>
    );
  }
  if (attr.datatype === "number") {
    return (
      <Form.Item name={name} label={attr.description} rules={rules}>
        <InputNumber className="hotline-number" />
      </Form.Item>
    );
  }
  return (
    <Form.Item name={name} label={attr.description} rules={rules}>
      {attr.datatype === "text" ? <Input.TextArea rows={2} /> : <Input />}
    </Form.Item>
  );
}

function NewTicket() {
  const { t } = useTranslation("hotline");
  const [form] = Form.useForm<TicketValues>();
  const navigate = useNavigate();
  const client = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [locating, setLocating] = useState<"idle" | "busy" | "failed">("idle");
  const categoryCode = Form.useWatch("category_code", form);
  const streetCode = Form.useWatch("street_code", form);
  const anonymous = Form.useWatch("anonymous", form);
  const lat = Form.useWatch("lat", form);
  const lon = Form.useWatch("lon", form);
  useDocumentTitle(t("new.title"));

  const categories = useQuery({
    queryKey: ["hotline", "categories"],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/categories", { params: { query: { limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const streets = useQuery({
    queryKey: ["org-units", "street"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "street", limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const street = streets.data?.items.find((s) => s.code === streetCode);
  const communities = useQuery({
    queryKey: ["org-units", "community", street?.id],
    queryFn: () =>
      unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "community", parent_id: street?.id ?? "", limit: 200 } } })),
    enabled: Boolean(street),
    staleTime: 10 * 60_000,
  });
  const me = useQuery({
    queryKey: [MY, "me"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/me")),
    staleTime: 5 * 60_000,
  });
  const category: Category | undefined = categories.data?.items.find((c) => c.code === categoryCode);

  const categoryOptions = useMemo(() => {
    const groups = new Map<string, { label: string; value: string }[]>();
    for (const c of categories.data?.items ?? []) {
      const list = groups.get(c.group_name) ?? [];
      list.push({ label: c.name, value: c.code });
      groups.set(c.group_name, list);
    }
    return [...groups.entries()].map(([label, options]) => ({ label, options }));
  }, [categories.data]);

  const locate = () => {
    if (!("geolocation" in navigator)) {
      setLocating("failed");
      return;
    }
    setLocating("busy");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.setFieldsValue({ lat: pos.coords.latitude, lon: pos.coords.longitude });
        setLocating("idle");
      },
      () => setLocating("failed"),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const onFinish = async (values: TicketValues) => {
    if (!values.request_type) return;
    setSending(true);
    setMessages([]);
    try {
      const attachments: Attachment[] = [];
      for (const photo of photos) {
        if (photo.originFileObj) attachments.push(await storePhoto(photo.originFileObj));
      }
      const ticket = await unwrap(
        api.POST("/api/hotline/v1/tickets", {
          body: ticketBody({ ...values, request_type: values.request_type }, phone ? "mobile" : "web", category, attachments),
        }),
      );
      void client.invalidateQueries({ queryKey: [MY, "hotline"] });
      navigate(`/hotline/${encodeURIComponent(ticket.id)}?new=1`);
    } catch (error) {
      if (error instanceof ApiError && error.problem && error.status !== 429) {
        const fields: (string | (string | number)[])[] = [...FIELDS, ...(category?.attributes ?? []).map((a) => ["attributes", a.code])];
        setMessages(applyProblemToForm(form, error.problem, fields));
      } else {
        setMessages([errorText(error)]);
      }
      setSending(false);
    }
  };

  const initial: TicketValues = { request_type: "help", anonymous: false };
  const account = me.data?.account;
  const contactName = account?.name;
  // identity shows the phone masked (138****0003): offered only when it is a whole number.
  const contactPhone = account && account.kind === "person" && /^\+?[0-9][0-9\- ]{4,19}$/.test(account.phone) ? account.phone : undefined;

  return (
    <div className="page hotline-page">
      <Breadcrumb items={[{ title: <Link to="/hotline">{t("list.title")}</Link> }, { title: t("new.title") }]} />
      <h1 tabIndex={-1}>{t("new.title")}</h1>
      <p className="muted-p">{t("new.intro")}</p>
      <Alert type="warning" showIcon className="hotline-emergency" message={t("new.emergency")} />
      <ProblemAlert messages={messages} title={t("new.failed")} />
      <Form<TicketValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={initial}
        disabled={sending}
        onFinish={(v) => void onFinish(v)}
        className="hotline-form"
        key={me.data ? "with-me" : "without-me"}
        onValuesChange={(changed: TicketValues) => {
          // A field changed after the platform refused it: its old message goes.
          form.setFields(Object.keys(changed).filter((n) => n !== "attributes").map((name) => ({ name: name as keyof TicketValues, errors: [] })));
          if ("street_code" in changed) form.setFieldValue("community_code", undefined);
          if ("category_code" in changed) form.setFieldValue("attributes", {});
        }}
      >
        <fieldset className="hotline-fieldset">
          <legend>{t("form.what")}</legend>
          <Form.Item name="request_type" label={<span id="hl-type">{t("form.type")}</span>} rules={[chosen(t("form.typeRequired"))]}>
            <Radio.Group className="hotline-types" aria-labelledby="hl-type" optionType="button" buttonStyle="solid"
              options={REQUEST_TYPES.map((rt) => ({ value: rt, label: t(`type.${rt}`) }))} />
          </Form.Item>
          <Form.Item name="category_code" label={t("form.category")} extra={t("form.categoryHint")}>
            <Select allowClear showSearch optionFilterProp="label" placeholder={t("form.choose")} loading={categories.isPending} options={categoryOptions} />
          </Form.Item>
          {(category?.attributes ?? []).map((a) => <AttributeField key={a.code} attr={a} />)}
          <Form.Item name="title" label={t("form.title")} rules={[{ required: true, whitespace: true, message: t("form.titleRequired") }, { max: 200, message: t("form.tooLong", { max: 200 }) }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t("form.description")} extra={t("form.descriptionHint")} rules={[{ required: true, whitespace: true, message: t("form.descriptionRequired") }, { max: 4000, message: t("form.tooLong", { max: 4000 }) }]}>
            <Input.TextArea rows={5} maxLength={4000} />
          </Form.Item>
        </fieldset>

        <fieldset className="hotline-fieldset">
          <legend>{t("form.where")}</legend>
          <div className="hotline-row">
            <Form.Item name="street_code" label={t("form.street")}>
              <Select allowClear placeholder={t("form.choose")} loading={streets.isPending}
                options={(streets.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))} />
            </Form.Item>
            <Form.Item name="community_code" label={t("form.community")}>
              <Select allowClear disabled={!street} placeholder={street ? t("form.choose") : t("form.streetFirst")}
                options={(communities.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))} />
            </Form.Item>
          </div>
          <Form.Item name="address" label={t("form.address")} rules={[{ max: 300, message: t("form.tooLong", { max: 300 }) }]}>
            <Input maxLength={300} placeholder={t("form.addressPlaceholder")} />
          </Form.Item>
          <Form.Item name="lat" hidden><InputNumber /></Form.Item>
          <Form.Item name="lon" hidden><InputNumber /></Form.Item>
          <div className="hotline-locate">
            <Button icon={<AimOutlined aria-hidden />} onClick={locate} loading={locating === "busy"}>
              {t("form.locate")}
            </Button>
            <span aria-live="polite" className="muted">
              {typeof lat === "number" && typeof lon === "number"
                ? t("form.located", { lat: lat.toFixed(5), lon: lon.toFixed(5) })
                : locating === "failed"
                  ? t("form.locateFailed")
                  : t("form.locateHint")}
            </span>
            {typeof lat === "number" ? (
              <button type="button" className="link-button" onClick={() => form.setFieldsValue({ lat: null, lon: null })}>
                {t("form.clearLocation")}
              </button>
            ) : null}
          </div>
        </fieldset>

        <fieldset className="hotline-fieldset">
          <legend>{t("form.photos")}</legend>
          <Form.Item name="attachments" label={<span id="hl-photos">{t("form.photoLabel")}</span>} extra={t("form.photoHint", { count: PHOTO_MAX_COUNT })}
            validateStatus={photoError ? "error" : undefined} help={photoError ?? undefined}>
            <Upload
              listType="picture-card"
              accept={PHOTO_TYPES.join(",")}
              fileList={photos}
              maxCount={PHOTO_MAX_COUNT}
              multiple
              aria-labelledby="hl-photos"
              beforeUpload={(file) => {
                const problem = photoProblem(file);
                if (problem) {
                  setPhotoError(t(problem === "type" ? "form.photoType" : "form.photoSize"));
                  return Upload.LIST_IGNORE;
                }
                setPhotoError(null);
                void readAsDataUrl(file).then((thumbUrl) =>
                  setPhotos((list) => list.map((f) => (f.uid === file.uid ? { ...f, thumbUrl, status: "done" } : f))),
                );
                return false;
              }}
              onChange={({ fileList }) => setPhotos(fileList.map((f) => ({ ...f, status: "done" })))}
              showUploadList={{ showPreviewIcon: false }}
            >
              {photos.length >= PHOTO_MAX_COUNT ? null : (
                <div className="hotline-upload">
                  <CameraOutlined aria-hidden />
                  <div>{t("form.addPhoto")}</div>
                </div>
              )}
            </Upload>
          </Form.Item>
        </fieldset>

        <fieldset className="hotline-fieldset">
          <legend>{t("form.contact")}</legend>
          <Form.Item name="anonymous" valuePropName="checked" extra={t("form.anonymousHint")}>
            <Checkbox>{t("form.anonymous")}</Checkbox>
          </Form.Item>
          {!anonymous ? (
            <div className="hotline-row">
              <Form.Item name="caller_name" label={t("form.name")} initialValue={contactName} rules={[{ max: 200, message: t("form.tooLong", { max: 200 }) }]}>
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item name="caller_phone" label={t("form.phone")} initialValue={contactPhone}
                rules={[{ pattern: /^\+?[0-9][0-9\- ]{4,19}$/, message: t("form.phoneFormat") }]}>
                <Input autoComplete="tel" inputMode="tel" />
              </Form.Item>
            </div>
          ) : null}
        </fieldset>
        <Button type="primary" htmlType="submit" size="large" loading={sending} block={phone}>
          {t("new.submit")}
        </Button>
      </Form>
    </div>
  );
}

export default function NewTicketPage() {
  return (
    <RequireCitizen>
      <NewTicket />
    </RequireCitizen>
  );
}
