import { useState } from "react";
import { Button, Checkbox, Form, Input, Radio } from "antd";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import { chosen } from "./rules";
import { LEVELS, isBad, keptReasons, ratingBody, reasonsFor, type Channel, type RatingLevel, type RatingValues } from "./levels";
import { ProblemAlert } from "../../components/ProblemAlert";

type RatingRead = components["schemas"]["evaluation__RatingRead"];

/** The five levels as a row of large radio buttons (a group with a visible legend). */
export function LevelPicker({
  id,
  value,
  onChange,
  labelledBy,
}: {
  id?: string;
  value?: RatingLevel;
  onChange?: (level: RatingLevel) => void;
  labelledBy: string;
}) {
  const { t } = useTranslation("rating");
  return (
    <Radio.Group
      id={id}
      className="rating-levels"
      value={value}
      onChange={(e) => onChange?.(e.target.value as RatingLevel)}
      optionType="button"
      buttonStyle="solid"
      aria-labelledby={labelledBy}
      options={LEVELS.map((level) => ({
        value: level,
        label: t(`level.${level}`),
        className: `rating-level rating-level-${level}`,
      }))}
    />
  );
}

/**
 * Rate one service: a level, the standard reasons (required for 不满意 / 非常不满意), a comment.
 * With `code`, the rating is given with a rating pad's one-time code (no login needed).
 */
export function RatingForm({
  eventId,
  channel,
  code,
  onRated,
}: {
  eventId: string;
  channel: Channel;
  code?: string;
  onRated: (rating: RatingRead) => void;
}) {
  const { t } = useTranslation("rating");
  const [form] = Form.useForm<RatingValues>();
  const level = Form.useWatch("level", form);
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const reasons = reasonsFor(level);
  const bad = isBad(level);

  const onFinish = async (values: RatingValues) => {
    if (values.level === undefined) return;
    setSending(true);
    setMessages([]);
    try {
      const rating = await unwrap(
        api.POST("/api/evaluation/v1/service-events/{event_id}/rating", {
          params: { path: { event_id: eventId } },
          body: ratingBody({ ...values, level: values.level }, channel, code),
        }),
      );
      onRated(rating);
    } catch (error) {
      if (error instanceof ApiError && error.problem && error.status !== 429) {
        setMessages(applyProblemToForm(form, error.problem, ["level", "aspects", "comment"]));
      } else {
        setMessages([errorText(error)]);
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Form<RatingValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      className="rating-form"
      disabled={sending}
      onFinish={(v) => void onFinish(v)}
      onValuesChange={(changed: RatingValues, all: RatingValues) => {
        form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof RatingValues, errors: [] })));
        // A new level offers other reasons: keep only those that still belong.
        if ("level" in changed) form.setFieldValue("aspects", keptReasons(all));
      }}
    >
      <ProblemAlert messages={messages} title={t("form.failed")} />
      <Form.Item
        name="level"
        label={<span id="rating-level-label">{t("form.level")}</span>}
        rules={[chosen(t("form.levelRequired"))]}
      >
        <LevelPicker labelledBy="rating-level-label" />
      </Form.Item>
      {reasons.length > 0 ? (
        <Form.Item
          name="aspects"
          label={<span id="rating-aspects-label">{bad ? t("form.badReasons") : t("form.goodReasons")}</span>}
          extra={bad ? t("form.badReasonsHint") : t("form.goodReasonsHint")}
          rules={bad ? [chosen(t("form.reasonsRequired"))] : []}
        >
          <Checkbox.Group
            className="rating-reasons"
            aria-labelledby="rating-aspects-label"
            options={reasons.map((r) => ({ value: r.text, label: t(`reasons.${r.key}`) }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="comment"
        label={t("form.comment")}
        extra={bad ? t("form.commentHintBad") : undefined}
        rules={[{ max: 1000, message: t("form.commentTooLong", { max: 1000 }) }]}
      >
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" loading={sending}>
        {t("form.submit")}
      </Button>
      <p className="muted-p rating-privacy">{t("form.privacy")}</p>
    </Form>
  );
}
