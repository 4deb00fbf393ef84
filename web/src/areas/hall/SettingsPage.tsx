import { useEffect, useMemo, useState } from "react";
import { Alert, Button, Card, Descriptions, Empty, Form, type FormRule, Table, Input, InputNumber, Modal, Select, Skeleton, Space, Switch, Tag, Typography } from "antd";
import { DeleteOutlined, DesktopOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { settingsBody, settingsValues, windowsDropped, type HallRead, type SettingsValues } from "./model";
import { KEYS, listPlaces } from "./queries";
import { HallSelect, useHalls } from "./parts";
import "./hall.css";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

/**
 * "Choose" for a select: a validator, not `required: true`, which makes Ant Design put
 * `aria-required` on the select's plain <div> (axe: aria-allowed-attr).
 */
const chosen = (message: string): FormRule => ({
  validator: (_rule, value: unknown) =>
    value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
      ? Promise.reject(new Error(message))
      : Promise.resolve(),
});

const getConfig = (placeId: string) => unwrap(api.GET("/api/intake/v1/places/{place_id}/queue", { params: { path: { place_id: placeId } } }));
const getWindowUnits = async () =>
  (await unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "window", limit: 200 } } }))).items;

/** Every field the API may name in a problem (for putting it under that field). */
function fieldsOf(values: SettingsValues): (string | (string | number)[])[] {
  const fields: (string | (string | number)[])[] = ["wait_limit_minutes", "max_waiting", "active", "categories", "windows"];
  (values.categories ?? []).forEach((_, i) => fields.push(["categories", i, "code"], ["categories", i, "name"], ["categories", i, "item_codes"]));
  (values.windows ?? []).forEach((_, i) =>
    fields.push(["windows", i, "unit_code"], ["windows", i, "number"], ["windows", i, "name"], ["windows", i, "category_codes"]),
  );
  return fields;
}

/** One hall's configuration as read by a supervisor: plain text, tables that scroll in themselves. */
function HallSummary({ hall }: { hall: HallRead }) {
  const { t } = useTranslation("hall");
  const categoryName = (code: string) => hall.categories.find((c) => c.code === code)?.name ?? code;
  return (
    <>
      <Card title={<h2 className="card-title">{t("settings.general")}</h2>} className="hall-card">
        <Descriptions
          column={{ xs: 1, md: 3 }}
          items={[
            { key: "limit", label: t("settings.waitLimit"), children: t("minutes", { count: hall.wait_limit_minutes }) },
            { key: "max", label: t("settings.maxWaiting"), children: hall.max_waiting },
            { key: "active", label: t("settings.active"), children: hall.active ? t("settings.on") : t("settings.off") },
          ]}
        />
      </Card>
      <Card title={<h2 className="card-title">{t("settings.categories")}</h2>} className="hall-card">
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={hall.categories}
          columns={[
            { title: t("settings.code"), dataIndex: "code" },
            { title: t("settings.name"), dataIndex: "name" },
            { title: t("settings.items"), dataIndex: "item_codes", render: (codes: string[]) => (codes.length ? codes.join("、") : t("settings.byCategory")) },
          ]}
        />
      </Card>
      <Card title={<h2 className="card-title">{t("settings.windows")}</h2>} className="hall-card">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={hall.windows}
          locale={{ emptyText: <span className="hall-empty">{t("settings.noWindows")}</span> }}
          columns={[
            { title: t("settings.number"), dataIndex: "number" },
            { title: t("settings.windowName"), dataIndex: "name" },
            { title: t("settings.unit"), dataIndex: "unit_code" },
            { title: t("settings.windowCategories"), dataIndex: "category_codes", render: (codes: string[]) => codes.map((c) => `${c} ${categoryName(c)}`).join("、") },
          ]}
        />
      </Card>
    </>
  );
}

/** The form of one hall's configuration: 限时等候, categories, windows (read-only for supervisors). */
function HallForm({ hall, editable, unitCode }: { hall: HallRead; editable: boolean; unitCode: string | undefined }) {
  const { t } = useTranslation("hall");
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsValues>();
  const [modal, modalHolder] = Modal.useModal();
  const [general, setGeneral] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const units = useQuery({ queryKey: KEYS.windowUnits, queryFn: getWindowUnits, enabled: editable, staleTime: 5 * 60_000 });
  const categories = Form.useWatch("categories", form) ?? [];
  const initial = useMemo(() => settingsValues(hall), [hall]);

  useEffect(() => {
    form.resetFields();
    setGeneral([]);
  }, [hall, form]);

  const save = useMutation({
    mutationFn: (values: SettingsValues) =>
      unwrap(api.PUT("/api/intake/v1/places/{place_id}/queue", { params: { path: { place_id: hall.place_id } }, body: settingsBody(values) })),
    onSuccess: (updated) => {
      setGeneral([]);
      setSaved(true);
      queryClient.setQueryData(KEYS.config(hall.place_id), updated);
      void queryClient.invalidateQueries({ queryKey: KEYS.halls });
    },
    onError: (error, values) => {
      setSaved(false);
      if (error instanceof ApiError && error.problem) setGeneral(applyProblemToForm(form, error.problem, fieldsOf(values)));
      else setGeneral([error instanceof Error ? error.message : String(error)]);
    },
  });

  const submit = (values: SettingsValues) => {
    const dropped = windowsDropped(hall, settingsBody(values));
    void modal.confirm({
      title: t("settings.confirmTitle", { place: hall.place_name }),
      content: (
        <>
          <p>{t("settings.confirmText", { minutes: values.wait_limit_minutes })}</p>
          {dropped.length > 0 ? <p className="overdue-text">{t("settings.confirmDropped", { windows: dropped.join("、") })}</p> : null}
        </>
      ),
      okText: t("settings.save"),
      cancelText: t("window.cancel"),
      onOk: () => save.mutateAsync(values).catch(() => undefined),
    });
  };

  // A window is a window unit inside the place's unit (110105-ZWFW-W01 in 110105-ZWFW).
  const unitOptions = (units.data ?? [])
    .filter((u) => (unitCode !== undefined && u.code.startsWith(`${unitCode}-`)) || hall.windows.some((w) => w.unit_code === u.code))
    .map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }));
  const letterOptions = categories.filter((c) => c?.code).map((c) => ({ value: c.code, label: `${c.code} ${c.name ?? ""}` }));

  return (
    <Form<SettingsValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      disabled={!editable}
      onFinish={submit}
      onValuesChange={() => setSaved(false)}
      className="hall-settings-form"
      requiredMark={editable}
    >
      {modalHolder}
      <Card title={<h2 className="card-title">{t("settings.general")}</h2>} className="hall-card">
        <div className="hall-row">
          <Form.Item name="wait_limit_minutes" label={t("settings.waitLimit")} extra={t("settings.waitLimitHint")} rules={[{ required: true, message: t("settings.required") }]}>
            <InputNumber min={1} max={240} addonAfter={t("settings.minutesUnit")} className="hall-number" />
          </Form.Item>
          <Form.Item name="max_waiting" label={t("settings.maxWaiting")} extra={t("settings.maxWaitingHint")} rules={[{ required: true, message: t("settings.required") }]}>
            <InputNumber min={1} max={2000} className="hall-number" />
          </Form.Item>
          <Form.Item name="active" label={t("settings.active")} valuePropName="checked" extra={t("settings.activeHint")}>
            <Switch checkedChildren={t("settings.on")} unCheckedChildren={t("settings.off")} />
          </Form.Item>
        </div>
      </Card>

      <Card title={<h2 className="card-title">{t("settings.categories")}</h2>} className="hall-card">
        <p className="muted">{t("settings.categoriesHint")}</p>
        <Form.List name="categories">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <fieldset key={field.key} className="hall-fieldset">
                  <legend>{t("settings.category", { n: i + 1 })}</legend>
                  <div className="hall-row">
                    <Form.Item name={[field.name, "code"]} label={t("settings.code")} rules={[chosen(t("settings.required"))]}>
                      <Select options={LETTERS.map((l) => ({ value: l, label: l }))} className="hall-letter" />
                    </Form.Item>
                    <Form.Item name={[field.name, "name"]} label={t("settings.name")} rules={[{ required: true, whitespace: true, message: t("settings.required") }]} className="hall-grow">
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[field.name, "item_codes"]} label={t("settings.items")} extra={t("settings.itemsHint")} className="hall-grow">
                      <Select mode="tags" tokenSeparators={[",", "，", " "]} open={false} suffixIcon={null} placeholder={t("settings.itemsPlaceholder")} />
                    </Form.Item>
                    {editable ? (
                      <Button icon={<DeleteOutlined aria-hidden />} onClick={() => remove(field.name)} disabled={fields.length <= 1} className="hall-remove">
                        {t("settings.remove")}
                      </Button>
                    ) : null}
                  </div>
                </fieldset>
              ))}
              {editable ? (
                <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ code: LETTERS.find((l) => !categories.some((c) => c?.code === l)), name: "", item_codes: [] })}>
                  {t("settings.addCategory")}
                </Button>
              ) : null}
            </>
          )}
        </Form.List>
      </Card>

      <Card title={<h2 className="card-title">{t("settings.windows")}</h2>} className="hall-card">
        <p className="muted">{t("settings.windowsHint")}</p>
        {units.isError ? <ErrorAlert error={units.error} /> : null}
        <Form.List name="windows">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("settings.noWindows")} /> : null}
              {fields.map((field, i) => (
                <fieldset key={field.key} className="hall-fieldset">
                  <legend>{t("settings.windowN", { n: i + 1 })}</legend>
                  <div className="hall-row">
                    <Form.Item name={[field.name, "number"]} label={t("settings.number")} rules={[{ required: true, whitespace: true, message: t("settings.required") }]}>
                      <Input maxLength={10} className="hall-short" />
                    </Form.Item>
                    <Form.Item name={[field.name, "unit_code"]} label={t("settings.unit")} rules={[chosen(t("settings.required"))]} className="hall-grow">
                      {editable ? (
                        <Select showSearch optionFilterProp="label" options={unitOptions} loading={units.isPending} placeholder={t("settings.unitPlaceholder")} />
                      ) : (
                        <Input />
                      )}
                    </Form.Item>
                    <Form.Item name={[field.name, "name"]} label={t("settings.windowName")} extra={t("settings.windowNameHint")} className="hall-grow">
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[field.name, "category_codes"]} label={t("settings.windowCategories")} rules={[chosen(t("settings.required"))]} className="hall-grow">
                      <Select mode="multiple" options={letterOptions} />
                    </Form.Item>
                    {editable ? (
                      <Button icon={<DeleteOutlined aria-hidden />} onClick={() => remove(field.name)} className="hall-remove">
                        {t("settings.remove")}
                      </Button>
                    ) : null}
                  </div>
                </fieldset>
              ))}
              {editable ? (
                <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ unit_code: undefined, number: String(fields.length + 1), name: "", category_codes: [] })}>
                  {t("settings.addWindow")}
                </Button>
              ) : null}
            </>
          )}
        </Form.List>
      </Card>

      <ProblemAlert messages={general} title={t("settings.problems")} />
      {saved ? <Alert type="success" showIcon role="status" message={t("settings.saved")} className="hall-saved" /> : null}
      {editable ? (
        <Space wrap>
          <Button type="primary" htmlType="submit" size="large" loading={save.isPending}>
            {t("settings.save")}
          </Button>
          <Button size="large" onClick={() => form.resetFields()} disabled={save.isPending}>
            {t("settings.reset")}
          </Button>
        </Space>
      ) : null}
    </Form>
  );
}

/**
 * Hall settings (大厅排队配置): per hall the waiting limit (限时等候), the ticket categories and the
 * windows that call them. Administrators change it; supervisors read it.
 */
export default function SettingsPage() {
  const { t } = useTranslation("hall");
  const { claims } = useSession();
  const editable = claims?.roles.includes("admin") ?? false;
  useDocumentTitle(t("settings.title"));
  const places = useQuery({ queryKey: KEYS.places, queryFn: listPlaces, staleTime: 5 * 60_000 });
  const halls = useHalls();
  // The hall in the address (?place=…): a place's page links here, and a reload keeps the choice.
  const [params, setParams] = useSearchParams();
  const chosen = params.get("place") ?? undefined;
  const setChosen = (id: string | undefined) => setParams(id ? { place: id } : {}, { replace: true });
  const placeId = chosen ?? halls.data?.[0]?.id ?? (halls.isSuccess ? places.data?.[0]?.id : undefined);
  const config = useQuery({
    queryKey: KEYS.config(placeId ?? ""),
    queryFn: () => getConfig(placeId ?? ""),
    enabled: placeId !== undefined,
  });
  const hallIds = new Set(halls.data?.map((h) => h.id));

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("settings.title")}
      </Typography.Title>
      {!editable ? <Alert type="info" showIcon message={t("settings.readOnly")} className="hall-note" /> : null}
      <div className="staff-toolbar">
        {places.data ? (
          <HallSelect
            id="hall-settings-place"
            halls={places.data.map((p) => ({ ...p, name: hallIds.has(p.id) ? p.name : `${p.name}${t("settings.notRun")}` }))}
            value={placeId}
            onChange={setChosen}
          />
        ) : null}
        {placeId && hallIds.has(placeId) ? (
          <>
            <a className="hall-link" href={`/hall/${placeId}/display`} target="_blank" rel="noreferrer">
              <DesktopOutlined aria-hidden /> {t("settings.openDisplay")}
            </a>
            <a className="hall-link" href={`/kiosk?place=${placeId}`} target="_blank" rel="noreferrer">
              {t("settings.openKiosk")}
            </a>
          </>
        ) : null}
      </div>
      {places.isError ? <ErrorAlert error={places.error} onRetry={() => void places.refetch()} /> : null}
      {config.isError ? <ErrorAlert error={config.error} onRetry={() => void config.refetch()} /> : null}
      {config.isPending && placeId ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {config.data ? (
        <>
          <p className="hall-meta">
            {config.data.configured ? <Tag color="green">{t("settings.configured")}</Tag> : <Tag>{t("settings.notConfigured")}</Tag>}
            {config.data.updated_at ? t("settings.updated", { at: formatDateTime(config.data.updated_at) }) : null}
          </p>
          {editable ? (
            <HallForm
              key={config.data.place_id}
              hall={config.data}
              editable={editable}
              unitCode={places.data?.find((p) => p.id === config.data.place_id)?.org_unit_code}
            />
          ) : (
            <HallSummary hall={config.data} />
          )}
        </>
      ) : null}
    </div>
  );
}
