import { useState } from "react";
import { Alert, Button, Descriptions, Empty, Form, Radio, Select, Skeleton, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatDate } from "../../lib/format";
import { allows, enterpriseSearch, todoOf, type Enterprise, type GrantReason } from "./enterprise";

/** The person at the counter, as the enterprise texts name them. */
export interface Agent {
  id: string;
  name: string;
}

const STATUS_COLOURS = { pending: "orange", verified: "green", rejected: "red" } as const satisfies Record<Enterprise["status"], string>;

/** Find the enterprise the person acts for, by its 统一社会信用代码 or a part of its name (staff see every one). */
function FindEnterprise({ onChosen }: { onChosen: (e: Enterprise) => void }) {
  const { t } = useTranslation("window");
  const [typed, setTyped] = useState("");
  const search = enterpriseSearch(typed);
  const query = search && !("badUscc" in search) ? search : null;
  const found = useQuery({
    queryKey: [MY, "window", "enterprises", query],
    queryFn: () => unwrap(api.GET("/api/identity/v1/enterprises", { params: { query: { ...query, limit: 20 } } })),
    enabled: query !== null,
    staleTime: 30_000,
  });
  const items = found.data?.items ?? [];
  return (
    <Form layout="vertical" name="enterprise" component="div">
      <Form.Item
        name="enterprise"
        label={t("grant.find")}
        extra={t("grant.findHint")}
        validateStatus={search && "badUscc" in search ? "warning" : undefined}
        help={search && "badUscc" in search ? t("grant.badUscc", { code: search.badUscc }) : undefined}
      >
        <Select
          showSearch
          filterOption={false}
          onSearch={setTyped}
          placeholder={t("grant.findPlaceholder")}
          loading={found.isFetching}
          options={items.map((e) => ({
            value: e.id,
            label: (
              <span>
                {e.name}
                <span className="muted">（{e.uscc}）</span>
                {e.status !== "verified" ? <Tag color={STATUS_COLOURS[e.status]}>{t(`grant.statusValue.${e.status}`)}</Tag> : null}
              </span>
            ),
          }))}
          notFoundContent={
            found.isFetching ? <Skeleton.Input active size="small" /> : query ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("grant.none")} /> : null
          }
          onChange={(id: string) => {
            const chosen = items.find((e) => e.id === id);
            if (chosen) onChosen(chosen);
          }}
        />
      </Form.Item>
      {found.error ? <ErrorAlert error={found.error} /> : null}
    </Form>
  );
}

/** The enterprise chosen: its name, code, legal representative and verification state. */
function EnterpriseCard({ enterprise, agent, onChange }: { enterprise: Enterprise; agent: Agent; onChange: () => void }) {
  const { t } = useTranslation("window");
  return (
    <div className="window-person">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered>
        <Descriptions.Item label={t("grant.name")}>{enterprise.name}</Descriptions.Item>
        <Descriptions.Item label={t("grant.uscc")}>
          <span className="window-code">{enterprise.uscc}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("grant.legalRep")}>
          {enterprise.legal_representative.name}
          {enterprise.legal_representative.id === agent.id ? <Tag className="window-tag-gap">{t("grant.isAgent")}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t("grant.status")}>
          <Tag color={STATUS_COLOURS[enterprise.status]}>{t(`grant.statusValue.${enterprise.status}`)}</Tag>
        </Descriptions.Item>
      </Descriptions>
      <Button type="link" onClick={onChange}>
        {t("grant.change")}
      </Button>
    </div>
  );
}

/** Who applies: the person for themselves, or an enterprise they act for (法人授权). */
export function ApplicantKind({
  agent,
  forEnterprise,
  enterprise,
  onKind,
  onEnterprise,
}: {
  agent: Agent;
  forEnterprise: boolean;
  enterprise: Enterprise | null;
  onKind: (forEnterprise: boolean) => void;
  onEnterprise: (e: Enterprise | null) => void;
}) {
  const { t } = useTranslation("window");
  return (
    <fieldset className="window-kind">
      <legend>{t("grant.who")}</legend>
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={forEnterprise ? "enterprise" : "self"}
        onChange={(e) => onKind(e.target.value === "enterprise")}
        options={[
          { value: "self", label: t("grant.self") },
          { value: "enterprise", label: t("grant.enterprise") },
        ]}
        className="window-gap"
      />
      {forEnterprise ? (
        enterprise ? (
          <EnterpriseCard enterprise={enterprise} agent={agent} onChange={() => onEnterprise(null)} />
        ) : (
          <FindEnterprise onChosen={onEnterprise} />
        )
      ) : null}
    </fieldset>
  );
}

/** The texts of a refusal: what is wrong, and what the person should do about it. */
export function useRefusalText() {
  const { t } = useTranslation("window");
  return (reason: GrantReason, agent: Agent, enterprise: Enterprise) => {
    const names = { person: agent.name, enterprise: enterprise.name, rep: enterprise.legal_representative.name };
    const todo = todoOf(reason);
    return { what: t(`grant.reason.${reason}`, names), todo: todo ? t(`grant.todo.${todo}`, names) : "" };
  };
}

/** Whether the person may act for the enterprise on the item now, as identity-svc answers (scope and validity of the grant). */
export function GrantStatus({ agent, enterprise, itemCode }: { agent: Agent; enterprise: Enterprise; itemCode: string | undefined }) {
  const { t } = useTranslation("window");
  const refusal = useRefusalText();
  const check = useQuery({
    queryKey: [MY, "window", "grant-check", agent.id, enterprise.id, itemCode],
    queryFn: () =>
      unwrap(api.GET("/api/identity/v1/grants/check", { params: { query: { person_id: agent.id, enterprise_id: enterprise.id, item_code: itemCode } } })),
    enabled: Boolean(itemCode),
  });
  if (!itemCode) return <p className="muted">{t("grant.chooseItem", { person: agent.name })}</p>;
  if (check.isPending) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (check.error) return <ErrorAlert error={check.error} onRetry={() => void check.refetch()} />;
  const c = check.data;
  const names = { person: agent.name, enterprise: enterprise.name };
  if (allows(c.reason)) {
    return (
      <Alert
        type="success"
        showIcon
        className="window-gap"
        message={t(`grant.allowed.${c.reason}`, names)}
        description={
          c.reason === "grant" ? (
            <span>
              {t("grant.scope")}：{(c.scope ?? []).includes("*") ? t("grant.scopeAll") : (c.scope ?? []).join("、")}；{t("grant.validUntil")} {formatDate(c.valid_until)}
            </span>
          ) : undefined
        }
      />
    );
  }
  const text = refusal(c.reason, agent, enterprise);
  return (
    <Alert
      type="warning"
      showIcon
      className="window-gap"
      message={text.what}
      description={
        <>
          <p className="window-todo">{text.todo}</p>
          <p className="muted window-todo">{t("grant.checkedAgain")}</p>
        </>
      }
    />
  );
}

/** The enterprise a case was filed for: its name and credit code, read from identity-svc. */
export function EnterpriseName({ id }: { id: string }) {
  const enterprise = useQuery({
    queryKey: [MY, "window", "enterprise", id],
    queryFn: () => unwrap(api.GET("/api/identity/v1/enterprises/{enterprise_id}", { params: { path: { enterprise_id: id } } })),
    staleTime: 300_000,
  });
  if (!enterprise.data) return <span className="muted">{enterprise.isPending ? "…" : id}</span>;
  return (
    <>
      {enterprise.data.name}
      <span className="muted window-code">（{enterprise.data.uscc}）</span>
    </>
  );
}
