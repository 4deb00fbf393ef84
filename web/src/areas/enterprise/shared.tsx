import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import type { Problem } from "../../api/problem";
import { formatDateTime } from "../../lib/format";

export type Enterprise = components["schemas"]["identity__EnterpriseRead"];
export type Grant = components["schemas"]["identity__GrantRead"];
export type GrantCreate = components["schemas"]["identity__GrantCreate"];
export type EnterpriseStatus = Enterprise["status"];
export type GrantStatus = Grant["status"];

/** Personal query keys start with MY (platform.ts) so a logout or a switch of acting drops them. */
export const ENTERPRISES = "enterprises";
export const GRANTS = "grants";

const ENTERPRISE_COLOURS = { pending: "orange", verified: "green", rejected: "red" } as const satisfies Record<EnterpriseStatus, string>;
const GRANT_COLOURS = { pending: "orange", active: "green", revoked: "default", expired: "default" } as const satisfies Record<GrantStatus, string>;

export function EnterpriseStatusTag({ status }: { status: EnterpriseStatus }) {
  const { t } = useTranslation("enterprise");
  return <Tag color={ENTERPRISE_COLOURS[status]}>{t(`status.${status}`)}</Tag>;
}

export function GrantStatusTag({ status }: { status: GrantStatus }) {
  const { t } = useTranslation("enterprise");
  return <Tag color={GRANT_COLOURS[status]}>{t(`grantStatus.${status}`)}</Tag>;
}

/** "全部事项" or the item codes a grant covers. */
export function ScopeText({ scope }: { scope: string[] }) {
  const { t } = useTranslation("enterprise");
  if (scope.includes("*")) return <>{t("grant.scopeAll")}</>;
  return <>{scope.join("、")}</>;
}

/** A grant's facts as a definition list (scope, validity, delegation, when offered). */
export function GrantFacts({ grant }: { grant: Grant }) {
  const { t } = useTranslation("enterprise");
  return (
    <dl className="ent-facts">
      <dt>{t("grant.scope")}</dt>
      <dd>
        <ScopeText scope={grant.scope} />
      </dd>
      <dt>{t("grant.validity")}</dt>
      <dd>
        {formatDateTime(grant.valid_from)} — {formatDateTime(grant.valid_until)}
      </dd>
      <dt>{t("grant.mayDelegate")}</dt>
      <dd>{grant.may_delegate ? t("grant.yes") : t("grant.no")}</dd>
      <dt>{t("grant.createdAt")}</dt>
      <dd>{formatDateTime(grant.created_at)}</dd>
      {grant.revoked_at ? (
        <>
          <dt>{t("grant.revokedAt")}</dt>
          <dd>
            {formatDateTime(grant.revoked_at)}
            {grant.revoke_reason ? `（${grant.revoke_reason}）` : ""}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * Problems that name no field but belong to one (a code already registered, an unknown grantee):
 * the platform's own words under that field.
 */
export function fieldOfProblem<F extends string>(problem: Problem, byCode: Record<string, F>): { name: F; errors: string[] } | null {
  const field = byCode[problem.code];
  if (!field || (problem.errors && problem.errors.length > 0)) return null;
  return { name: field, errors: [problem.detail] };
}
