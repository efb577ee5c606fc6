import { registry } from "@web/core/registry";

/**
 * A customer rates a return visit from the emailed link on a phone (390 px), without
 * a session: every choice of both scales is on screen, NPS 0 is a real answer, and
 * the thank-you page is in the customer's language (zh_CN in the test).
 */
function assertInViewport(selector) {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
        throw new Error(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    }
    for (const el of document.querySelectorAll(selector)) {
        const rect = el.getBoundingClientRect();
        if (rect.left < 0 || rect.right > width) {
            throw new Error(`"${el.textContent.trim()}" is cut off (${rect.left}-${rect.right} of ${width})`);
        }
        if (rect.height < 40 || rect.width < 40) {
            throw new Error(`"${el.textContent.trim()}" is too small to tap (${rect.width}x${rect.height})`);
        }
    }
}

registry.category("web_tour.tours").add("store_service_crm_customer_rating", {
    steps: () => [
        {
            content: "The page is in Chinese and names the store in Chinese",
            trigger: ".o_store_service_rating .o_store_service_rating_store:contains('旗舰店')",
        },
        {
            content: "Every CSAT and NPS choice (0 to 10) is fully on the phone's screen",
            trigger: ".o_store_service_scale_nps label[for=nps_10]",
            run() {
                assertInViewport(".o_store_service_scale label");
            },
        },
        {
            content: "The customer picks a CSAT of 2",
            trigger: ".o_store_service_scale_csat label[for=csat_2]",
            run: "click",
        },
        {
            content: "The customer picks an NPS of 0",
            trigger: ".o_store_service_scale_nps label[for=nps_0]",
            run: "click",
        },
        {
            content: "NPS 0 is selected",
            trigger: ".o_store_service_scale_nps input#nps_0:checked",
        },
        {
            content: "The customer writes a comment",
            trigger: "textarea[name=feedback]",
            run: "edit 送货晚了两天",
        },
        {
            content: "Send",
            trigger: ".o_store_service_rating button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thank-you page is in Chinese",
            trigger: ".o_rating_page_thank_you h3:contains('感谢您的反馈')",
        },
    ],
});
