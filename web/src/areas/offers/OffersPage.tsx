import { useState } from "react";
import { Link } from "react-router";
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Popconfirm, Radio, Skeleton, Space, Tag, Typography } from "antd";
import { GiftOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { confirmOffer, declineOffer, listOffers, offerColour, OFFER_KEYS, type DeliveryWish, type Offer } from "./queries";
import "./offers.css";

type Values = { mode: DeliveryWish["mode"]; address?: string; recipient?: string; phone?: string };

/** 确认享受: where to receive the result (the modes the item offers; post asks where and to whom). */
function ConfirmDialog({ offer, onClose }: { offer: Offer; onClose: () => void }) {
  const { t } = useTranslation("offers");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch("mode", form);
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setMessages([]);
    try {
      const delivery: DeliveryWish =
        v.mode === "post" ? { mode: "post", address: v.address?.trim(), recipient: v.recipient?.trim(), phone: v.phone?.trim() } : { mode: v.mode };
      await confirmOffer(offer.id, delivery);
      await queryClient.invalidateQueries({ queryKey: OFFER_KEYS.all });
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.problem)
        setMessages(applyProblemToForm(form, e.problem, ["mode", "address", "recipient", "phone"], { "body.delivery.mode": "mode", "body.delivery.address": "address", "body.delivery.recipient": "recipient", "body.delivery.phone": "phone" }));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const required = (key: string) => [{ required: true, whitespace: true, message: t(`${key}Required`) }];
  return (
    <Modal open title={t("confirmTitle", { item: offer.item_name })} okText={t("confirm")} cancelText={t("cancel")} onOk={() => void submit()} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <p className="muted">{t("confirmHint")}</p>
      <ProblemAlert messages={messages} title={t("confirm")} />
      <Form form={form} layout="vertical" name="offer-confirm" initialValues={{ mode: offer.delivery_modes[0] ?? "window", recipient: offer.person_name }}>
        <Form.Item label={<span id="offer-mode">{t("modeLabel")}</span>} required>
          <Form.Item name="mode" noStyle>
            <Radio.Group aria-labelledby="offer-mode" options={offer.delivery_modes.map((m) => ({ value: m, label: t(`mode.${m}`) }))} />
          </Form.Item>
        </Form.Item>
        {mode === "post" ? (
          <>
            <Form.Item name="address" label={t("address")} rules={required("address")}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="recipient" label={t("recipient")} rules={required("recipient")}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="phone" label={t("phone")} rules={required("phone")}>
              <Input maxLength={20} inputMode="tel" />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}

function OfferCard({ offer }: { offer: Offer }) {
  const { t } = useTranslation("offers");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decline = async () => {
    setError(null);
    try {
      await declineOffer(offer.id);
      await queryClient.invalidateQueries({ queryKey: OFFER_KEYS.all });
    } catch (e) {
      setError(errorText(e));
    }
  };
  const open = offer.allowed_actions.includes("confirm");
  return (
    <Card
      size="small"
      className="offer-card"
      title={
        <h2 className="card-title offer-title">
          <GiftOutlined aria-hidden /> {offer.item_name}
        </h2>
      }
      extra={<Tag color={offerColour(offer.status)}>{t(`status.${offer.status}`, { defaultValue: offer.status_name })}</Tag>}
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t("reason")}>{offer.reason}</Descriptions.Item>
        <Descriptions.Item label={t("offeredAt")}>{formatDateTime(offer.offered_at)}</Descriptions.Item>
        {open ? <Descriptions.Item label={t("expiresAt")}>{formatDateTime(offer.expires_at)}</Descriptions.Item> : null}
        {offer.decided_at ? <Descriptions.Item label={t("decidedAt")}>{formatDateTime(offer.decided_at)}</Descriptions.Item> : null}
        {offer.delivery ? (
          <Descriptions.Item label={t("delivery")}>
            {t(`mode.${offer.delivery.mode}`)}
            {offer.delivery.address ? `（${offer.delivery.address}）` : ""}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <p className="muted offer-no">{t("number", { no: offer.number })}</p>
      {offer.status === "confirmed" ? (
        <Alert
          type="success"
          showIcon
          message={t("confirmed")}
          action={offer.application_id ? <Link to={`/my/applications/${encodeURIComponent(offer.application_id)}`}>{t("openCase")}</Link> : undefined}
        />
      ) : null}
      {open ? (
        <Space wrap className="offer-actions">
          <Button type="primary" onClick={() => setConfirming(true)}>
            {t("confirm")}
          </Button>
          <Popconfirm title={t("declineConfirm")} description={t("declineHint")} okText={t("ok")} cancelText={t("cancel")} onConfirm={() => decline()}>
            <Button>{t("decline")}</Button>
          </Popconfirm>
        </Space>
      ) : null}
      {error ? <Alert type="error" showIcon role="alert" message={error} className="offer-actions" /> : null}
      {confirming ? <ConfirmDialog offer={offer} onClose={() => setConfirming(false)} /> : null}
    </Card>
  );
}

function Offers() {
  const { t } = useTranslation("offers");
  useDocumentTitle(t("title"));
  const offers = useQuery({ queryKey: OFFER_KEYS.list("all"), queryFn: () => listOffers() });
  return (
    <div className="page offers">
      <Typography.Title level={1}>{t("title")}</Typography.Title>
      <p className="muted-p">{t("intro")}</p>
      {offers.isPending ? <Skeleton active /> : null}
      {offers.isError ? <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} /> : null}
      {offers.data && offers.data.items.length === 0 ? <Empty description={t("none")} /> : null}
      <div className="offer-list">
        {(offers.data?.items ?? []).map((o) => (
          <OfferCard key={o.id} offer={o} />
        ))}
      </div>
    </div>
  );
}

/** 为您推荐 · 免申即享: the services offered to the person, confirmed with a way to receive the result, or declined. */
export default function OffersPage() {
  return (
    <RequireCitizen>
      <Offers />
    </RequireCitizen>
  );
}
