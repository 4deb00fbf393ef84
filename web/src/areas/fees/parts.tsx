import { useEffect, useState } from "react";
import { Alert, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Skeleton, Space, Tag, Timeline, Typography } from "antd";
import type { FormInstance } from "antd";
import { CarOutlined, PayCircleOutlined, ReloadOutlined, RollbackOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { useAreaTexts } from "../../i18n/useAreaTexts";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { formatDateTime } from "../../lib/format";
import type { BundleApplication } from "../bundle/model";
import {
  currentWaybill,
  feeColour,
  feeItems,
  feePending,
  feeRefunds,
  groupCode,
  refundable,
  refundColour,
  refundPending,
  refundState,
  toFen,
  trackingEvents,
  waybillFinished,
  yuan,
  type Fee,
  type FeeLine,
  type Parcel,
  type ParcelKind,
  type Waybill,
} from "./model";
import { createWaybill, FEE_KEYS, getFees, parcelWaybills, parcelWaybillsKey } from "./queries";
import "./fees.css";

type Application = components["schemas"]["intake__ApplicationRead"];

/** While a fee waits for its code or its payment, ask again this often (the provider's notice is what changes it). */
const PENDING_POLL_MS = 5_000;
/** While a parcel is on its way, ask for its tracking this often. */
const TRACKING_POLL_MS = 15_000;
/** Roles of the deciding unit, who may refund (intake refuses anyone else). */
const REFUNDING_ROLES = ["approver", "handler", "admin"];

/**
 * True once the fees area's texts are loaded: pages of other areas (the citizen's application, the
 * window's and the department's case) show its parts and wait with this.
 */
export function useFeesTexts(): boolean {
  return useAreaTexts("fees");
}

function useCaseFees(app: Application) {
  return useQuery({
    queryKey: FEE_KEYS.fees(app.id),
    queryFn: () => getFees(app.id),
    // Asked again while a notice waits for its code or payment, or a refund for the platform's confirmation.
    refetchInterval: (q) => (q.state.data && (feePending(q.state.data.fees) || refundPending(q.state.data.fees)) ? PENDING_POLL_MS : false),
  });
}

/** The waybills of a case (its 一件事's parcel too) or of a 一件事 application, asked again while one travels. */
function useParcelWaybills(kind: ParcelKind, id: string, enabled = true) {
  return useQuery({
    queryKey: parcelWaybillsKey(kind, id),
    queryFn: () => parcelWaybills(kind, id),
    enabled,
    refetchInterval: (q) => (q.state.data?.waybills.some((w) => !waybillFinished(w)) ? TRACKING_POLL_MS : false),
  });
}

/** A refund: its amount, where it stands (退费中 / 已退费 / 退费失败), when it came through, and why. */
function RefundLine({ line }: { line: FeeLine }) {
  const { t } = useTranslation("fees");
  const state = refundState(line);
  return (
    <li className="fees-refund">
      <span className="fees-refund-head">
        <span className="fees-money">{t("fees.refundLine", { amount: yuan(line.amount_fen) })}</span>
        <Tag color={refundColour(state)}>{t(`refundState.${state}`)}</Tag>
        {line.at && state === "succeeded" ? <span className="muted">{t("fees.refundAt", { at: formatDateTime(line.at) })}</span> : null}
      </span>
      {line.reason ? <span className="fees-refund-reason">{t("fees.refundReason", { reason: line.reason })}</span> : null}
    </li>
  );
}

/** A fee's facts: items, amount, 缴款码, status, when and how it was paid, refunds. */
function FeeFacts({ fee, narrow }: { fee: Fee; narrow?: boolean }) {
  const { t } = useTranslation("fees");
  const refunds = feeRefunds(fee);
  return (
    <Descriptions size="small" bordered column={narrow ? 1 : { xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} className="fees-facts">
      <Descriptions.Item label={t("fees.items")}>
        <ul className="fees-items">
          {feeItems(fee).map((l, i) => (
            <li key={`${l.name ?? ""}-${i}`}>
              <span>{l.name ?? "—"}</span> <span className="fees-money">{yuan(l.amount_fen)}</span>
            </li>
          ))}
        </ul>
      </Descriptions.Item>
      <Descriptions.Item label={t("fees.amount")}>
        <strong className="fees-amount">{yuan(fee.amount_fen)}</strong>
      </Descriptions.Item>
      <Descriptions.Item label={t("fees.status")}>
        <Tag color={feeColour(fee.status)}>{t(`status.${fee.status}`)}</Tag>
        {fee.refunded_fen > 0 ? <span className="muted">{t("fees.refundedTotal", { amount: yuan(fee.refunded_fen) })}</span> : null}
      </Descriptions.Item>
      <Descriptions.Item label={t("fees.code")}>
        {fee.payment_code ? (
          <Typography.Text copyable={{ text: fee.payment_code, tooltips: [t("fees.codeCopy"), t("fees.copied")] }} className="fees-code">
            {groupCode(fee.payment_code)}
          </Typography.Text>
        ) : (
          "—"
        )}
      </Descriptions.Item>
      {fee.paid_at ? (
        <Descriptions.Item label={t("fees.paidAt")}>
          {formatDateTime(fee.paid_at)}
          {fee.channel ? ` · ${t(`channel.${fee.channel}`, { defaultValue: fee.channel })}` : ""}
        </Descriptions.Item>
      ) : null}
      <Descriptions.Item label={t("fees.created")}>{formatDateTime(fee.created_at)}</Descriptions.Item>
      {refunds.length > 0 ? (
        <Descriptions.Item label={t("fees.refunds")} span={narrow ? 1 : 2}>
          <ul className="fees-items fees-refunds">
            {refunds.map((r) => (
              <RefundLine key={r.refund_no} line={r} />
            ))}
          </ul>
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

/**
 * The citizen's payment notices (缴费通知) on their application: what to pay, the 缴款码 and the way
 * to the payment platform's page; the page asks again until the provider's notice has marked it paid.
 * Nothing at all when the case owes nothing.
 */
function MyFeesView({ app }: { app: Application }) {
  const { t } = useTranslation("fees");
  const fees = useCaseFees(app);
  if (fees.isPending) return null;
  if (fees.isError) return <ErrorAlert error={fees.error} onRetry={() => void fees.refetch()} />;
  if (fees.data.fees.length === 0) return null;
  return (
    <section className="section fees-section" aria-labelledby="a-fees">
      <h2 id="a-fees">{t("fees.title")}</h2>
      {fees.data.fees.map((fee) => (
        <div key={fee.id} className="fees-fee">
          <FeeFacts fee={fee} />
          {fee.status === "new" ? <Alert type="info" showIcon className="fees-note" message={t("fees.making")} /> : null}
          {fee.status === "awaiting" ? (
            <>
              <Alert type="warning" showIcon className="fees-note" message={t("fees.payHint")} />
              {fee.pay_url ? (
                <Button
                  type="primary"
                  size="large"
                  className="fees-pay"
                  icon={<PayCircleOutlined aria-hidden />}
                  href={fee.pay_url}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  {t("fees.pay")}
                </Button>
              ) : null}
            </>
          ) : null}
          {fee.status === "paid" ? <Alert type="success" showIcon className="fees-note" role="status" message={t("fees.paidNote")} /> : null}
          {refundPending([fee]) ? <Alert type="info" showIcon className="fees-note" role="status" message={t("fees.refundPendingNote")} /> : null}
          {fee.status === "closed" ? <Alert type="info" showIcon className="fees-note" message={t("fees.closedNote")} /> : null}
        </div>
      ))}
      {feePending(fees.data.fees) ? (
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void fees.refetch()} loading={fees.isFetching}>
          {t("fees.refresh")}
        </Button>
      ) : null}
    </section>
  );
}

/** A waybill's number, status and tracking events, newest first. */
function WaybillView({ waybill }: { waybill: Waybill }) {
  const { t } = useTranslation("fees");
  const events = trackingEvents(waybill);
  return (
    <div className="fees-waybill">
      <p className="fees-waybill-head">
        <span>
          {waybill.carrier} · {t("waybill.no")} <strong className="fees-code">{waybill.waybill_no}</strong>
        </span>
        <Tag color={waybill.status === "delivered" ? "green" : waybill.status === "returned" ? "red" : "blue"}>
          {t(`waybill.code.${waybill.status}`, { defaultValue: waybill.status })}
        </Tag>
      </p>
      {events.length === 0 ? (
        <p className="muted">{t("waybill.noEvents")}</p>
      ) : (
        <Timeline
          className="fees-tracking"
          items={events.map((e, i) => ({
            key: e.sequence,
            color: i === 0 ? (e.code === "returned" ? "red" : "green") : "gray",
            children: (
              <>
                <div>{e.description}</div>
                <div className="muted">
                  {formatDateTime(e.occurredAt)}
                  {e.location ? ` · ${e.location}` : ""}
                </div>
              </>
            ),
          }))}
        />
      )}
    </div>
  );
}

/** The citizen's 物流信息: the posted result's tracking, once a waybill exists. */
function TrackingSection({ kind, id, enabled }: { kind: ParcelKind; id: string; enabled: boolean }) {
  const { t } = useTranslation("fees");
  const waybills = useParcelWaybills(kind, id, enabled);
  if (!waybills.data || waybills.data.waybills.length === 0) return null;
  return (
    <section className="section fees-section" aria-labelledby="a-tracking">
      <h2 id="a-tracking">{t("waybill.title")}</h2>
      <p className="muted-p">{t(kind === "bundle" ? "waybill.bundleHint" : "waybill.citizenHint")}</p>
      {waybills.data.waybills.map((w) => (
        <WaybillView key={w.waybill_no} waybill={w} />
      ))}
      <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void waybills.refetch()} loading={waybills.isFetching}>
        {t("waybill.refresh")}
      </Button>
    </section>
  );
}

function MyTrackingView({ app }: { app: Application }) {
  return <TrackingSection kind="case" id={app.id} enabled={app.delivery_mode === "post" || app.status === "completed" || app.delivery_wish?.mode === "post"} />;
}

/** The 一件事's one parcel, on the citizen's bundle page, once it is ordered. */
function MyBundleTrackingView({ app }: { app: BundleApplication }) {
  return <TrackingSection kind="bundle" id={app.id} enabled={app.delivery_mode === "post" || app.status === "ready" || app.status === "delivered"} />;
}

/** Refund (退费) part or all of a paid fee, with the reason the applicant is told. */
function RefundDialog({ fee, applicationNo, onClose, onSent }: { fee: Fee; applicationNo: string; onClose: () => void; onSent: (updated: Fee) => void }) {
  const { t } = useTranslation("fees");
  const errorText = useErrorText();
  const [form] = Form.useForm<{ amount: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const left = refundable(fee);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setMessages([]);
    try {
      const updated = await unwrap(
        api.POST("/api/intake/v1/fees/{fee_id}/refund", { params: { path: { fee_id: fee.id } }, body: { amount_fen: toFen(v.amount), reason: v.reason.trim() } }),
      );
      onSent(updated);
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, ["reason"], { "body.amount_fen": "amount" }));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("staff.refundTitle", { no: applicationNo })}
      okText={t("staff.refundOk")}
      cancelText={t("staff.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ danger: true, className: "fees-danger-ok" }}
      destroyOnHidden
    >
      <ProblemAlert messages={messages} title={t("staff.refund")} />
      <Form form={form} layout="vertical" name="refund" initialValues={{ amount: left / 100 }}>
        <Form.Item
          name="amount"
          label={t("staff.refundAmount")}
          extra={t("staff.refundMax", { amount: yuan(left) })}
          rules={[{ required: true, message: t("staff.refundAmountRequired") }]}
        >
          <InputNumber min={0.01} max={left / 100} precision={2} step={1} className="fees-amount-input" />
        </Form.Item>
        <Form.Item name="reason" label={t("staff.refundReason")} extra={t("staff.refundReasonHint")} rules={[{ required: true, whitespace: true, message: t("staff.refundReasonRequired") }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The fees of a case as staff see them (收费): the payment notices intake made after the approval,
 * paid or not, their refunds with the reason and where each stands (退费中 until the payment platform
 * confirms it), and a refund for the deciding unit's staff.
 */
function CaseFeesCardView({ app, className }: { app: Application; className?: string }) {
  const { t } = useTranslation("fees");
  const { claims } = useSession();
  const queryClient = useQueryClient();
  const fees = useCaseFees(app);
  const [refunding, setRefunding] = useState<Fee | null>(null);
  const mayRefund = (claims?.roles ?? []).some((r) => REFUNDING_ROLES.includes(r));
  const none = fees.data?.fees.length === 0;
  // A case that owes nothing and is not approved (nothing can be owed yet): no card at all.
  if (none && app.decision !== "approved") return null;
  return (
    <Card size="small" className={className} title={<h2 className="card-title">{t("staff.title")}</h2>}>
      {fees.isPending ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
      {fees.isError ? <ErrorAlert error={fees.error} onRetry={() => void fees.refetch()} /> : null}
      {fees.data && fees.data.fees.length === 0 ? (
        <>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("staff.none")} />
          <p className="muted">{t("staff.autoIssued")}</p>
        </>
      ) : null}
      {(fees.data?.fees ?? []).map((fee) => (
        <div key={fee.id} className="fees-fee">
          <FeeFacts fee={fee} narrow />
          {mayRefund && refundable(fee) > 0 ? (
            <Space wrap className="fees-actions">
              <Button danger className="fees-danger" icon={<RollbackOutlined aria-hidden />} onClick={() => setRefunding(fee)}>
                {t("staff.refund")}
              </Button>
              <span className="muted">{t("staff.left", { amount: yuan(refundable(fee)) })}</span>
            </Space>
          ) : null}
        </div>
      ))}
      {fees.data && refundPending(fees.data.fees) ? <Alert type="info" showIcon role="status" className="fees-note" message={t("staff.refundSent")} /> : null}
      {refunding ? (
        <RefundDialog
          fee={refunding}
          applicationNo={app.application_no}
          onClose={() => setRefunding(null)}
          onSent={(updated) => {
            setRefunding(null);
            // The refund shows at once (退费中); the card asks again until the platform confirms it.
            queryClient.setQueryData(FEE_KEYS.fees(app.id), (old: { fees: Fee[] } | undefined) =>
              old ? { ...old, fees: old.fees.map((f) => (f.id === updated.id ? updated : f)) } : old,
            );
            void queryClient.invalidateQueries({ queryKey: FEE_KEYS.fees(app.id) });
            // The case's trace records the request (申请退费).
            void queryClient.invalidateQueries({ predicate: (q) => q.queryKey.includes(app.id) && q.queryKey.includes("trace") });
          }}
        />
      ) : null}
    </Card>
  );
}

/** The waybills with their tracking, for staff; nothing when none was made. */
function WaybillsCard({ kind, id, className }: { kind: ParcelKind; id: string; className?: string }) {
  const { t } = useTranslation("fees");
  const waybills = useParcelWaybills(kind, id);
  if (!waybills.data || waybills.data.waybills.length === 0) return null;
  return (
    <Card
      size="small"
      className={className}
      title={<h2 className="card-title">{t("waybill.staffTitle")}</h2>}
      extra={
        <Button size="small" icon={<ReloadOutlined aria-hidden />} onClick={() => void waybills.refetch()} loading={waybills.isFetching}>
          {t("waybill.refresh")}
        </Button>
      }
    >
      {waybills.data.waybills.map((w) => (
        <WaybillView key={w.waybill_no} waybill={w} />
      ))}
    </Card>
  );
}

function CaseWaybillsCardView({ app, className }: { app: Application; className?: string }) {
  return <WaybillsCard kind="case" id={app.id} className={className} />;
}

/** The 一件事's one parcel and its tracking, on the window's bundle page. */
function BundleWaybillsCardView({ app, className }: { app: BundleApplication; className?: string }) {
  return <WaybillsCard kind="bundle" id={app.id} className={className} />;
}

/** The fields a posted delivery takes from its waybill (or, with no courier connected, typed). */
export interface PostFields {
  carrier?: string;
  tracking_no?: string;
  address?: string;
  recipient_name?: string;
  recipient_phone?: string;
}

/**
 * Posting the result (邮寄送达) in a delivery form, for one case or for every result of a 一件事 in
 * one parcel: the recipient, phone and address (from what the applicant asked for when applying),
 * then 生成运单 orders the courier's pickup; the delivery names that waybill (`tracking_no` of the
 * form; intake fills in the courier from it). A parcel that has a waybill already uses it. Only
 * where no courier is connected (intake says so) are the carrier and number typed.
 */
function WaybillFieldsView({ parcel, form }: { parcel: Parcel; form: FormInstance }) {
  const { t } = useTranslation("fees");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const waybills = useParcelWaybills(parcel.kind, parcel.id);
  const [manual, setManual] = useState(false);
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const existing = waybills.data ? currentWaybill(waybills.data.waybills) : undefined;
  // Initial values of the fields (not a setFieldsValue): a dialog that resets its form on opening keeps them.
  const initial = parcel.recipient;
  useEffect(() => {
    if (existing && !manual) form.setFieldsValue({ carrier: undefined, tracking_no: existing.waybill_no });
  }, [existing, manual, form]);

  const create = async () => {
    const v = (await form.validateFields(["recipient_name", "recipient_phone", "address"]).catch(() => null)) as PostFields | null;
    if (!v) return;
    setBusy(true);
    setMessages([]);
    try {
      const made = await createWaybill(parcel.kind, parcel.id, {
        recipient_name: (v.recipient_name ?? "").trim(),
        recipient_phone: (v.recipient_phone ?? "").trim(),
        address: (v.address ?? "").trim(),
      });
      form.setFieldsValue({ tracking_no: made.waybill_no });
      form.setFields([{ name: "tracking_no", errors: [] }]);
      // A bundle's parcel shows in each of its cases' waybills too.
      await queryClient.invalidateQueries({ queryKey: FEE_KEYS.allWaybills });
      // The cases' traces (window's or department's page) now have the waybill too.
      await queryClient.invalidateQueries({
        predicate: (q) => q.queryKey.includes("trace") && parcel.caseIds.some((id) => q.queryKey.includes(id)),
      });
    } catch (e) {
      if (e instanceof ApiError && e.problem?.code === "intake.provider_not_configured") {
        setManual(true);
        form.setFieldsValue({ carrier: undefined, tracking_no: undefined });
      } else if (e instanceof ApiError && e.problem) {
        setMessages(applyProblemToForm(form, e.problem, ["recipient_name", "recipient_phone", "address"]));
      } else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };

  const required = (key: string) => [{ required: true, whitespace: true, message: t(`waybill.${key}Required`) }];
  return (
    <div className="fees-post">
      <div className="fees-post-grid">
        <Form.Item name="recipient_name" label={t("waybill.recipient")} rules={required("recipient")} initialValue={initial.recipient_name}>
          <Input maxLength={100} disabled={Boolean(existing) && !manual} />
        </Form.Item>
        <Form.Item name="recipient_phone" label={t("waybill.phone")} rules={required("phone")} initialValue={initial.recipient_phone}>
          <Input maxLength={40} inputMode="tel" disabled={Boolean(existing) && !manual} />
        </Form.Item>
        <Form.Item name="address" label={t("waybill.address")} rules={required("address")} className="fees-post-wide" initialValue={initial.address}>
          <Input maxLength={200} disabled={Boolean(existing) && !manual} />
        </Form.Item>
      </div>
      {manual ? (
        <>
          {/* No courier connected here: the clerk posts it themselves and types what the carrier gave. */}
          <Alert type="info" showIcon className="fees-note" message={t("waybill.manual")} />
          <div className="fees-post-grid">
            <Form.Item name="carrier" label={t("waybill.carrierLabel")} rules={required("carrier")}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="tracking_no" label={t("waybill.no")} rules={required("trackingNo")}>
              <Input maxLength={200} />
            </Form.Item>
          </div>
        </>
      ) : (
        <>
          {existing ? (
            <Alert
              type="success"
              showIcon
              role="status"
              className="fees-note"
              message={t("waybill.made", { carrier: existing.carrier, no: existing.waybill_no })}
              description={t(parcel.kind === "bundle" ? "waybill.useItBundle" : "waybill.useIt", { count: parcel.caseIds.length })}
            />
          ) : (
            <>
              <p className="muted">{t(parcel.kind === "bundle" ? "waybill.createHintBundle" : "waybill.createHint", { count: parcel.caseIds.length })}</p>
              <Button icon={<CarOutlined aria-hidden />} onClick={() => void create()} loading={busy || waybills.isPending} className="fees-create">
                {t("waybill.create")}
              </Button>
            </>
          )}
          <Form.Item name="tracking_no" label={t("waybill.no")} rules={[{ required: true, whitespace: true, message: t("waybill.createFirst") }]} initialValue={existing?.waybill_no}>
            <Input readOnly placeholder={t("waybill.noPlaceholder")} />
          </Form.Item>
        </>
      )}
      <ProblemAlert messages={messages} title={t("waybill.staffTitle")} />
    </div>
  );
}

/** Render `View` once the fees area's texts are there (these parts sit on other areas' pages). */
function withTexts<P extends object>(View: (props: P) => React.ReactNode) {
  return function WithFeesTexts(props: P) {
    return useFeesTexts() ? <View {...props} /> : null;
  };
}

export const MyFees = withTexts(MyFeesView);
export const MyTracking = withTexts(MyTrackingView);
export const MyBundleTracking = withTexts(MyBundleTrackingView);
export const CaseFeesCard = withTexts(CaseFeesCardView);
export const CaseWaybillsCard = withTexts(CaseWaybillsCardView);
export const BundleWaybillsCard = withTexts(BundleWaybillsCardView);
export const WaybillFields = withTexts(WaybillFieldsView);
