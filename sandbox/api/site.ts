import { randomUUID } from 'node:crypto';
import type { Route } from '../context';
import { sendData } from '../http';
import { randomString } from '../state';

/** MUI theme presets as a JSON string, like BE `inventory/setting.go` `theme_options`. */
const THEMES = JSON.stringify({
  '#1976d2': {
    light: { palette: { primary: { main: '#1976d2' }, secondary: { main: '#9c27b0' } } },
    dark: { palette: { primary: { main: '#90caf9' }, secondary: { main: '#ce93d8' } } },
  },
});

const INSTANCE_ID = randomUUID();

/**
 * site/* routes (docs/cloudreve-api.md#detecting-a-server,
 * docs/cloudreve-web-ui.md#calls-the-app-makes-while-browsing).
 */
export const siteRoutes: Route[] = [
  { method: 'GET', pattern: /^\/site\/ping$/, handle: ({ app, res }) => sendData(res, app.config.siteVersion) },
  {
    method: 'GET',
    pattern: /^\/site\/config\/basic$/,
    handle: ({ app, res, user }) =>
      sendData(res, {
        instance_id: INSTANCE_ID,
        title: app.config.siteTitle,
        themes: THEMES,
        default_theme: '#1976d2',
        user: app.state.userJson(user),
        logo: '/static/img/logo.svg',
        logo_light: '/static/img/logo_white.svg',
        captcha_type: 'normal',
        turnstile_site_id: '',
        captcha_ReCaptchaKey: '',
        captcha_cap_instance_url: '',
        captcha_cap_site_key: '',
        captcha_cap_asset_server: '',
        app_promotion: false,
        custom_nav_items: [],
        custom_html: {},
      }),
  },
  {
    method: 'GET',
    pattern: /^\/site\/config\/explorer$/,
    handle: ({ res }) =>
      sendData(res, {
        icons: '[]',
        file_viewers: [],
        max_batch_size: 1000,
        thumbnail_width: 400,
        thumbnail_height: 300,
        custom_props: [],
        full_text_search: false,
      }),
  },
  {
    method: 'GET',
    pattern: /^\/site\/config\/login$/,
    handle: ({ app, res }) =>
      sendData(res, {
        login_captcha: app.config.loginCaptcha,
        reg_captcha: false,
        forget_captcha: false,
        authn: false,
        register_enabled: false,
        email_active: false,
        qq_enabled: false,
        sso_enabled: false,
        tos_url: '',
        privacy_policy_url: '',
      }),
  },
  {
    method: 'GET',
    pattern: /^\/site\/captcha$/,
    handle: ({ app, res }) => {
      const ticket = randomUUID();
      const answer = randomString(4);
      app.state.captchas.set(ticket, answer);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#eee"/><text x="20" y="28" font-size="24" font-family="monospace">${answer}</text></svg>`;
      sendData(res, { image: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, ticket });
    },
  },
];
