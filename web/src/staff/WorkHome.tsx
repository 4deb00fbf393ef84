import { Link } from "react-router";
import { Card, Col, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../auth/useSession";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { staffMenuFor } from "./menu";
import { STAFF_MENU } from "./registry";

/** The workspace home: one card per workspace the account's roles work in, with its pages. */
export default function WorkHome() {
  const { t } = useTranslation("staff");
  const { claims } = useSession();
  useDocumentTitle(t("title"));
  const groups = staffMenuFor(STAFF_MENU, claims).filter((g) => g.group !== "home");
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("homeTitle")}
      </Typography.Title>
      {groups.length === 0 ? <Typography.Paragraph>{t("nothingYet")}</Typography.Paragraph> : null}
      <Row gutter={[16, 16]}>
        {groups.map(({ group, entries }) => (
          <Col key={group} xs={24} md={12} xl={8}>
            <Card title={<h2 className="card-title">{t(`groups.${group}`)}</h2>}>
              <p className="muted">{t(`groupHints.${group}`)}</p>
              <ul className="link-list">
                {entries.map((e) => (
                  <li key={e.key}>
                    <Link to={e.path}>{t(e.label)}</Link>
                  </li>
                ))}
              </ul>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
