import { useId, useRef, useState } from "react";
import { Button, Checkbox, Tag } from "antd";
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { useErrorText } from "../../components/ErrorAlert";
import { codeLabel } from "../../lib/labels";
import { ACCEPT, checkFile, formatSize, MAX_UPLOAD_BYTES, type FileProblem } from "./files";
import type { MaterialSlot, MaterialValue } from "./model";
import { uploadMaterial } from "./upload";

interface Props {
  slot: MaterialSlot;
  /** From Form.Item: the field's id, value, onChange and the aria attributes of its help text. */
  id?: string;
  value?: MaterialValue;
  onChange?: (value: MaterialValue | undefined) => void;
  /** Show (or clear, with null) a message under the field: a file refused before or by upload. */
  onError: (message: string | null) => void;
  /** What a one-time notice said about this material. */
  problems?: string[];
  disabled?: boolean;
  "aria-invalid"?: boolean | "true" | "false";
  "aria-describedby"?: string;
}

/** One material of the form: its requirement, and a file to upload or paper to confirm. */
export function MaterialInput({ slot, id, value, onChange, onError, problems, disabled, ...aria }: Props) {
  const { t } = useTranslation("apply");
  const errorText = useErrorText();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const nameId = `${uid}-name`;
  const hintId = `${uid}-hint`;
  const buttonTextId = `${uid}-button`;
  const m = slot.material;
  const describedBy = [hintId, aria["aria-describedby"]].filter(Boolean).join(" ");

  const fileProblem = (problem: FileProblem) =>
    t(`file.${problem}`, { max: formatSize(MAX_UPLOAD_BYTES) });

  const chosen = async (file: File | undefined) => {
    if (!file) return;
    onError(null);
    const check = await checkFile(file);
    if (!check.ok) {
      onError(`${file.name}：${fileProblem(check.problem)}`);
      return;
    }
    setBusy(true);
    try {
      const stored = await uploadMaterial(file, check.type);
      onChange?.({ file: { id: stored.id, name: stored.filename, size: stored.size } });
    } catch (error) {
      onError(error instanceof ApiError && error.problem ? `${file.name}：${error.problem.detail}` : errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const need = [
    m.originals > 0 ? t("need.originals", { count: m.originals }) : null,
    m.copies > 0 ? t("need.copies", { count: m.copies }) : null,
  ]
    .filter(Boolean)
    .join("，");

  return (
    <div className="apply-material" role="group" aria-labelledby={nameId}>
      <div className="apply-material-head">
        <strong id={nameId} className="apply-material-name">
          {slot.name}
        </strong>
        <span className="apply-material-tags">
          {slot.provision === "exempt" ? (
            <Tag color="green">{t("exempt")}</Tag>
          ) : slot.committed ? (
            <Tag color="cyan">{t("committed")}</Tag>
          ) : (
            <Tag color={slot.needed ? "blue" : "default"}>{codeLabel(t, "requirement", m.requirement.code, m.requirement.label)}</Tag>
          )}
          {slot.provision === "upload" && !slot.committed ? <Tag>{t("provision.upload")}</Tag> : null}
          {slot.provision === "paper" && !slot.committed ? <Tag>{t("provision.paper")}</Tag> : null}
        </span>
      </div>
      {slot.condition ? <div className="muted">{t("condition", { condition: slot.condition })}</div> : null}
      {m.source ? <div className="muted">{t("source", { source: m.source })}</div> : null}
      {m.notes ? <div className="muted">{m.notes}</div> : null}
      {problems && problems.length > 0 ? (
        <ul className="apply-material-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {slot.provision === "exempt" ? (
        <p className="muted apply-material-body">{m.exempt_source ? t("exemptFrom", { source: m.exempt_source }) : t("exemptHint")}</p>
      ) : null}
      {slot.provision === "upload" && slot.needed ? (
        <div className="apply-material-body">
          {value?.file ? (
            <div className="apply-file">
              <PaperClipOutlined aria-hidden />
              <span className="apply-file-name">{value.file.name}</span>
              <span className="muted">{formatSize(value.file.size)}</span>
              <Button
                type="link"
                size="small"
                icon={<DeleteOutlined aria-hidden />}
                disabled={disabled || busy}
                onClick={() => onChange?.(undefined)}
                aria-label={t("removeFile", { name: value.file.name })}
              >
                {t("remove")}
              </Button>
            </div>
          ) : null}
          <Button
            id={id}
            icon={<UploadOutlined aria-hidden />}
            loading={busy}
            disabled={disabled}
            onClick={() => input.current?.click()}
            aria-labelledby={`${buttonTextId} ${nameId}`}
            aria-describedby={describedBy}
            aria-invalid={aria["aria-invalid"]}
          >
            <span id={buttonTextId}>{busy ? t("uploading") : value?.file ? t("replaceFile") : t("chooseFile")}</span>
          </Button>
          <input
            ref={input}
            type="file"
            accept={ACCEPT}
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              void chosen(file);
            }}
          />
          <div id={hintId} className="muted apply-hint">
            {t("fileHint", { max: formatSize(MAX_UPLOAD_BYTES) })}
            {need ? ` ${t("paperToo", { need })}` : ""}
          </div>
          <span className="visually-hidden" aria-live="polite">
            {value?.file ? t("uploaded", { name: value.file.name }) : ""}
          </span>
        </div>
      ) : null}
      {slot.provision === "paper" && slot.needed ? (
        <div className="apply-material-body">
          <Checkbox
            id={id}
            checked={Boolean(value?.paper)}
            disabled={disabled}
            onChange={(e) => onChange?.(e.target.checked ? { paper: true } : undefined)}
            aria-describedby={describedBy}
            aria-invalid={aria["aria-invalid"]}
          >
            {t("paperConfirm", { need: need || t("need.originals", { count: 1 }) })}
          </Checkbox>
          <div id={hintId} className="muted apply-hint">
            {t("paperHint")}
          </div>
        </div>
      ) : null}
      {slot.provision !== "exempt" && !slot.needed ? (
        <p className="muted apply-material-body">{slot.committed ? t("committedHint") : t("notNeeded")}</p>
      ) : null}
    </div>
  );
}
