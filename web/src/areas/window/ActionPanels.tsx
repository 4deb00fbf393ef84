import { useRef, useState } from "react";
import { useNavigate } from "react-router";
import { Button, Card, Checkbox, Form, Input, Popconfirm, Radio, Result, Space } from "antd";
import { CheckOutlined, DeleteOutlined, PlusOutlined, SendOutlined, StopOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useErrorText } from "../../components/ErrorAlert";
import { uploadMaterial } from "../apply/upload";
import { useCaseAction } from "./actions";
import type { Application } from "./model";
import { SignaturePad, type SignaturePadHandle } from "./SignaturePad";
import { UnitName } from "../../components/UnitName";
import { WaybillFields } from "../fees/parts";
import { caseParcel, type Parcel } from "../fees/model";

type MaterialProblem = Application["problems"][number];

export function Panel({ id, title, children, danger }: { id: string; title: string; children: React.ReactNode; danger?: boolean }) {
  return (
    <Card size="small" className={danger ? "window-action window-action-danger" : "window-action"} title={<h3 className="card-title" id={id}>{title}</h3>}>
      {children}
    </Card>
  );
}

/** A submit button that asks first: the step cannot be undone. */
export function Confirmed({ label, question, onConfirm, busy, danger, icon, primary }: { label: string; question: string; onConfirm: () => void; busy: boolean; danger?: boolean; icon?: React.ReactNode; primary?: boolean }) {
  const { t } = useTranslation("window");
  return (
    <Popconfirm title={question} okText={t("confirm.ok")} cancelText={t("confirm.cancel")} okButtonProps={{ danger, className: danger ? "window-danger-ok" : undefined }} onConfirm={onConfirm}>
      <Button type={primary ? "primary" : "default"} danger={danger} loading={busy} icon={icon} className={danger ? "window-danger" : undefined}>
        {label}
      </Button>
    </Popconfirm>
  );
}

/** 一次性告知: every problem of the completeness check at once, and any the clerk found. */
export function NoticePanel({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<{ extra: { material: string; message: string }[] }>();
  const action = useCaseAction(app, form);
  const issue = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    await action.run("/api/intake/v1/applications/{application_id}/notice", { extra_problems: (values.extra ?? []).map((e) => ({ material: e.material.trim(), message: e.message.trim() })) });
  };
  return (
    <Panel id="act-notice" title={t("actions.issue_notice")}>
      <p className="muted">{t("notice.hint", { count: app.problems.length })}</p>
      <Form form={form} layout="vertical" name="notice">
        <Form.List name="extra">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} className="window-extra">
                  <Form.Item name={[f.name, "material"]} label={t("notice.material")} rules={[{ required: true, whitespace: true, message: t("notice.materialRequired") }]}>
                    <Input maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, "message"]} label={t("notice.message")} rules={[{ required: true, whitespace: true, message: t("notice.messageRequired") }]}>
                    <Input maxLength={1000} />
                  </Form.Item>
                  <Button type="text" aria-label={t("notice.remove")} icon={<DeleteOutlined aria-hidden />} onClick={() => remove(f.name)} className="window-extra-remove" />
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ material: "", message: "" })} className="window-gap">
                {t("notice.add")}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed label={t("notice.issue")} question={t("notice.confirm")} onConfirm={() => void issue()} busy={action.busy} />
    </Panel>
  );
}

/** 受理 (承诺件), or 即办件 accepted and completed on the spot with its result. */
export function AcceptPanel({ app, onTheSpot }: { app: Application; onTheSpot: boolean }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<{ with_deficiencies?: boolean; correction_deadline?: string; result_name?: string; result_number?: string }>();
  const action = useCaseAction(app, form, ["with_deficiencies", "correction_deadline", "result_name", "result_number"]);
  const deficient = Form.useWatch("with_deficiencies", form);
  const accept = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: Record<string, unknown> = {};
    if (v.with_deficiencies) {
      body.with_deficiencies = true;
      if (v.correction_deadline) body.correction_deadline = v.correction_deadline;
    }
    if (onTheSpot && !app.commitment) {
      body.result_name = v.result_name?.trim();
      if (v.result_number?.trim()) body.result_number = v.result_number.trim();
    }
    await action.run("/api/intake/v1/applications/{application_id}/accept", body);
  };
  return (
    <Panel id="act-accept" title={t(onTheSpot ? "actions.accept_on_the_spot" : "actions.accept")}>
      {app.problems.length > 0 ? <p className="window-warn">{t("accept.problemsLeft", { count: app.problems.length })}</p> : <p className="muted">{t("accept.complete")}</p>}
      <Form form={form} layout="vertical" name="accept">
        {app.problems.length > 0 ? (
          <Form.Item name="with_deficiencies" valuePropName="checked">
            <Checkbox>{t("accept.withDeficiencies")}</Checkbox>
          </Form.Item>
        ) : null}
        {deficient ? (
          <Form.Item name="correction_deadline" label={t("accept.correctionDeadline")} extra={t("accept.correctionDeadlineHint")}>
            <Input type="date" />
          </Form.Item>
        ) : null}
        {onTheSpot && app.commitment ? <p className="window-commit-note">{t("accept.onCommitment", { days: app.commitment.post_check_days })}</p> : null}
        {onTheSpot && !app.commitment ? (
          <div className="window-grid">
            <Form.Item name="result_name" label={t("accept.resultName")} rules={[{ required: true, whitespace: true, message: t("accept.resultNameRequired") }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="result_number" label={t("accept.resultNumber")}>
              <Input maxLength={200} />
            </Form.Item>
          </div>
        ) : null}
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed primary icon={<CheckOutlined aria-hidden />} label={t(onTheSpot ? "accept.doOnTheSpot" : "accept.do")} question={t(onTheSpot ? "accept.confirmOnTheSpot" : "accept.confirm")} onConfirm={() => void accept()} busy={action.busy} />
    </Panel>
  );
}

/** 不予受理 with reasons, legal basis and where to apply instead: closes the case. */
export function RefusePanel({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<{ reasons: string; legal_basis?: string; competent_authority?: string }>();
  const action = useCaseAction(app, form, ["reasons", "legal_basis", "competent_authority"]);
  const refuse = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    await action.run("/api/intake/v1/applications/{application_id}/refuse-acceptance", {
      reasons: v.reasons.trim(),
      ...(v.legal_basis?.trim() ? { legal_basis: v.legal_basis.trim() } : {}),
      ...(v.competent_authority?.trim() ? { competent_authority: v.competent_authority.trim() } : {}),
    });
  };
  return (
    <Panel id="act-refuse" title={t("actions.refuse_acceptance")} danger>
      <Form form={form} layout="vertical" name="refuse">
        <Form.Item name="reasons" label={t("refuse.reasons")} rules={[{ required: true, whitespace: true, message: t("refuse.reasonsRequired") }]}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <div className="window-grid">
          <Form.Item name="legal_basis" label={t("refuse.legalBasis")}>
            <Input maxLength={200} placeholder={t("refuse.legalBasisExample")} />
          </Form.Item>
          <Form.Item name="competent_authority" label={t("refuse.authority")}>
            <Input maxLength={200} />
          </Form.Item>
        </div>
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed danger icon={<StopOutlined aria-hidden />} label={t("refuse.do")} question={t("refuse.confirm")} onConfirm={() => void refuse()} busy={action.busy} />
    </Panel>
  );
}

/** 接件转交: the accepted case goes to the deciding unit. */
export function HandOverPanel({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const action = useCaseAction(app);
  return (
    <Panel id="act-handover" title={t("actions.hand_over")}>
      <p className="muted">
        {t("handOver.hint")}
        <strong>
          <UnitName code={app.owner_unit_code} />
        </strong>
      </p>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed primary icon={<SendOutlined aria-hidden />} label={t("handOver.do")} question={t("handOver.confirm")} onConfirm={() => void action.run("/api/intake/v1/applications/{application_id}/hand-over")} busy={action.busy} />
    </Panel>
  );
}

/** The materials handed in at the counter for a correction (补正) or for what 容缺受理 left owing. */
export function MaterialsInPanel({ app, problems, kind }: { app: Application; problems: MaterialProblem[]; kind: "resubmit" | "correct_deficiencies" }) {
  const { t } = useTranslation("window");
  const names = [...new Set(problems.map((p) => p.material))];
  const [form] = Form.useForm<{ received: string[] }>();
  const action = useCaseAction(app, form, ["received"]);
  const send = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const materials = v.received.map((name) => ({ name, provided_as: "paper" as const, media: ["original" as const], originals: 1, copies: 0 }));
    await action.run(kind === "resubmit" ? "/api/intake/v1/applications/{application_id}/resubmit" : "/api/intake/v1/applications/{application_id}/deficiencies", { materials });
  };
  return (
    <Panel id={`act-${kind}`} title={t(`actions.${kind}`)}>
      {names.length === 0 ? <p className="muted">{t("materialsIn.none")}</p> : null}
      <Form form={form} layout="vertical" name={kind}>
        <Form.Item name="received" label={t("materialsIn.received")} rules={[{ required: true, type: "array", min: 1, message: t("materialsIn.required") }]}>
          <Checkbox.Group options={names.map((n) => ({ value: n, label: n }))} className="window-checks" />
        </Form.Item>
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Button type="primary" onClick={() => void send()} loading={action.busy}>
        {t("materialsIn.do")}
      </Button>
    </Panel>
  );
}

/** 撤回 for the applicant, at their request at the counter. */
export function WithdrawPanel({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<{ reason?: string }>();
  const action = useCaseAction(app, form, ["reason"]);
  return (
    <Panel id="act-withdraw" title={t("actions.withdraw")} danger>
      <Form form={form} layout="vertical" name="withdraw">
        <Form.Item name="reason" label={t("withdraw.reason")}>
          <Input maxLength={1000} placeholder={t("withdraw.reasonExample")} />
        </Form.Item>
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed
        danger
        label={t("withdraw.do")}
        question={t("withdraw.confirm")}
        busy={action.busy}
        onConfirm={() => {
          const reason = form.getFieldValue("reason") as string | undefined;
          void action.run("/api/intake/v1/applications/{application_id}/withdraw", reason?.trim() ? { reason: reason.trim() } : {});
        }}
      />
    </Panel>
  );
}

export interface DeliverValues {
  mode: "window" | "post" | "locker";
  signed_by?: string;
  carrier?: string;
  tracking_no?: string;
  address?: string;
  locker?: string;
  recipient_name?: string;
  recipient_phone?: string;
}

/** What a delivery step needs from its owner: send the body, and show its problems (a case's or a bundle's). */
export interface DeliverAction {
  run: (body: Record<string, unknown>) => Promise<unknown>;
  busy: boolean;
  messages: string[];
  setMessages: (messages: string[]) => void;
}

/** 送达: at the window with the applicant's signature drawn on screen, by post, or to a locker. */
export function DeliverPanel({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<DeliverValues>();
  const action = useCaseAction(app, form, ["signed_by", "carrier", "tracking_no", "address", "locker"]);
  return (
    <DeliverForm
      form={form}
      parcel={caseParcel(app)}
      receiptName={app.application_no}
      signer={app.applicant_name}
      wish={app.delivery_wish ?? null}
      result={
        app.result ? (
          <p>
            {t("deliver.result")}：<strong>{app.result.name}</strong>
            {app.result.number ? `（${app.result.number}）` : null}
          </p>
        ) : null
      }
      action={{ ...action, run: (body) => action.run("/api/intake/v1/applications/{application_id}/deliver", body) }}
    />
  );
}

/**
 * The delivery form itself, the same for a case and for a 一件事 (whose results go out once): the
 * mode the applicant chose first, the signature at the window, the parcel or the locker.
 */
export function DeliverForm({
  form,
  parcel,
  receiptName,
  signer,
  wish,
  result,
  action,
}: {
  form: ReturnType<typeof Form.useForm<DeliverValues>>[0];
  /** What goes by post: a single case's result, or a 一件事's results in one parcel, with the courier's waybill. */
  parcel: Parcel;
  receiptName: string;
  signer: string;
  wish: Application["delivery_wish"] | null;
  result: React.ReactNode;
  action: DeliverAction;
}) {
  const { t } = useTranslation("window");
  const pad = useRef<SignaturePadHandle>(null);
  const errorText = useErrorText();
  const [signed, setSigned] = useState(false);
  const [signatureError, setSignatureError] = useState<string | null>(null);
  const mode = Form.useWatch("mode", form) ?? "window";
  const deliver = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSignatureError(null);
    if (v.mode === "window") {
      const png = await pad.current?.toPng();
      if (!png) {
        setSignatureError(t("deliver.signatureRequired"));
        return;
      }
      // The signed receipt is kept as a file in intake; the delivery names it.
      let ref: string;
      try {
        const file = await uploadMaterial(new File([png], `签收-${receiptName}.png`, { type: "image/png" }), "image/png");
        ref = file.id;
      } catch (e) {
        action.setMessages([errorText(e)]);
        return;
      }
      await action.run({ mode: "window", signed_by: v.signed_by?.trim(), signature_ref: ref });
    } else if (v.mode === "post") {
      // The courier is named by the waybill (intake fills it in); typed only where no courier is connected.
      await action.run({ mode: "post", carrier: v.carrier?.trim() || undefined, tracking_no: v.tracking_no?.trim(), address: v.address?.trim() });
    } else {
      await action.run({ mode: "locker", locker: v.locker?.trim() });
    }
  };
  const required = (key: string) => [{ required: true, whitespace: true, message: t(`deliver.${key}Required`) }];
  return (
    <Panel id="act-deliver" title={t("actions.deliver")}>
      {result}
      {wish ? (
        <p className="window-wish">
          {t("deliver.wish", { mode: t(`deliver.mode.${wish.mode}`) })}
          {wish.mode === "post"
            ? t("deliver.wishPost", {
                address: wish.address ?? "—",
                recipient: [wish.recipient, wish.phone].filter(Boolean).join(" ") || "—",
              })
            : null}
        </p>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        name="deliver"
        // What the applicant chose when applying comes first: nobody asks for the address again
        // (the waybill's fields bring the recipient, phone and address).
        initialValues={{ mode: wish?.mode ?? "window", signed_by: signer }}
      >
        <Form.Item name="mode" label={t("deliver.modeLabel")}>
          <Radio.Group optionType="button" options={(["window", "post", "locker"] as const).map((m) => ({ value: m, label: t(`deliver.mode.${m}`) }))} />
        </Form.Item>
        {mode === "window" ? (
          <>
            <Form.Item name="signed_by" label={t("deliver.signedBy")} rules={required("signedBy")}>
              <Input maxLength={200} />
            </Form.Item>
            <div className="ant-form-item">
              <div className="window-label" id="sig-label">
                {t("deliver.signature")}
              </div>
              <SignaturePad ref={pad} label={t("deliver.signatureLabel")} onChange={setSigned} />
              {signatureError && !signed ? (
                <div className="ant-form-item-explain-error" role="alert">
                  {signatureError}
                </div>
              ) : null}
            </div>
          </>
        ) : null}
        {mode === "post" ? <WaybillFields parcel={parcel} form={form} /> : null}
        {mode === "locker" ? (
          <Form.Item name="locker" label={t("deliver.locker")} extra={t("deliver.lockerHint")} rules={required("locker")}>
            <Input maxLength={200} />
          </Form.Item>
        ) : null}
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed primary label={t("deliver.do")} question={t("deliver.confirm")} onConfirm={() => void deliver()} busy={action.busy} />
    </Panel>
  );
}

/** After a delivery at the window: register the visit so the person rates it at the window's pad (一次一评). */
export function RateVisit({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>([]);
  const start = async () => {
    setBusy(true);
    setError([]);
    try {
      const visit = await unwrap(
        api.POST("/api/evaluation/v1/window-visits", { body: { item_code: app.item_code, item_name: app.item_name, served_subject: app.applicant_id } }),
      );
      navigate(`/work/window/pad?event=${encodeURIComponent(visit.id)}`);
    } catch (e) {
      setError([errorText(e)]);
      setBusy(false);
    }
  };
  return (
    <Result
      status="success"
      className="window-delivered"
      title={t("deliver.done")}
      subTitle={t("deliver.rateHint")}
      extra={
        <Space direction="vertical">
          <ProblemAlert messages={error} title={t("problemsTitle")} />
          <Button type="primary" size="large" loading={busy} onClick={() => void start()}>
            {t("deliver.rate")}
          </Button>
        </Space>
      }
    />
  );
}
