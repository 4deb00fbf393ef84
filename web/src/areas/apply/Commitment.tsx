import { Checkbox, Descriptions, Tag } from "antd";
import { FileProtectOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { formatDateTime } from "../../lib/format";
import "./commitment.css";

type Offered = components["schemas"]["catalog__Commitment"];
type Signed = components["schemas"]["intake__CommitmentRead"];

/** The standard commitment text (告知承诺书) as the applicant reads it before signing, in full. */
function Text({ text, replaces, days }: { text: string; replaces: string[]; days: number }) {
  const { t } = useTranslation("apply");
  return (
    <>
      <blockquote className="commitment-text">{text}</blockquote>
      <div className="commitment-replaces">
        <span>{t("commitment.replaces")}</span>
        {replaces.map((r) => (
          <Tag key={r} color="cyan">
            {r}
          </Tag>
        ))}
      </div>
      <p className="muted commitment-note">{t("commitment.postCheck", { days })}</p>
    </>
  );
}

/**
 * 告知承诺 offered by the item: the full text, the materials it stands in for, and the box to sign it
 * (a form control: `checked`/`onChange` from Form.Item with valuePropName="checked").
 */
export function CommitmentOffer({ commitment, checked, onChange, id }: { commitment: Offered; checked?: boolean; onChange?: (e: { target: { checked: boolean } }) => void; id?: string }) {
  const { t } = useTranslation("apply");
  return (
    <div className="commitment">
      <p className="commitment-lead">
        <FileProtectOutlined aria-hidden /> {t("commitment.lead")}
      </p>
      <Text text={commitment.text} replaces={commitment.replaces} days={commitment.post_check_days} />
      <Checkbox id={id} checked={Boolean(checked)} onChange={onChange} className="commitment-sign">
        {t("commitment.sign")}
      </Checkbox>
      {checked ? <p className="commitment-signed">{t("commitment.signedHint", { count: commitment.replaces.length })}</p> : null}
    </div>
  );
}

/** The commitment a case was applied on, as signed: shown on the case to the applicant and to staff. */
export function CommitmentSigned({ commitment }: { commitment: Signed }) {
  const { t } = useTranslation("apply");
  return (
    <div className="commitment">
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t("commitment.signatory")}>{commitment.signatory}</Descriptions.Item>
        <Descriptions.Item label={t("commitment.signedAt")}>{formatDateTime(commitment.signed_at)}</Descriptions.Item>
      </Descriptions>
      <Text text={commitment.text} replaces={commitment.replaces} days={commitment.post_check_days} />
    </div>
  );
}
